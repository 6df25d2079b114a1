#!/usr/bin/env node
// Checks that the settings shipped in the deployment files pass the service's own configuration
// schema (src/config/schema.ts is strict: a misspelt key is an error at start-up, not a no-op):
// the Kubernetes ConfigMaps (config.json + environment) and the compose file's environment.
//
// Usage: node scripts/checks/check-deploy-config.mjs   (needs the build and python3 with PyYAML)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** All YAML documents of a file, as JSON (PyYAML resolves anchors and merge keys). */
function readYamlDocs(file) {
  const r = spawnSync('python3', ['-c', 'import sys, json, yaml; json.dump(list(yaml.safe_load_all(open(sys.argv[1]))), sys.stdout)', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot read ${file} as YAML: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout).filter(Boolean);
}

const { loadConfig } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'config', 'load.js')).href);
const problems = [];
const tryLoad = (what, opts) => {
  try {
    const c = loadConfig(opts);
    console.log(`${what}: OK (brokers ${c.kafka.brokers.join(',')}, window ${c.stream.window.maxDocs}, refit every ${c.stream.refit.everyDocs} docs, port ${c.http.port})`);
  } catch (e) {
    problems.push(`${what}: ${e.message}`);
  }
};

// Kubernetes: config.json from topicstream-config, environment from topicstream-env
const cms = readYamlDocs(path.join(ROOT, 'deploy', 'k8s', 'configmap.yaml')).filter((d) => d.kind === 'ConfigMap');
const byName = Object.fromEntries(cms.map((d) => [d.metadata.name, d.data ?? {}]));
const dir = mkdtempSync(path.join(os.tmpdir(), 'topicstream-cfg-'));
try {
  const file = path.join(dir, 'config.json');
  if (!byName['topicstream-config']?.['config.json']) problems.push('deploy/k8s/configmap.yaml: no config.json in ConfigMap topicstream-config');
  else {
    writeFileSync(file, byName['topicstream-config']['config.json']);
    tryLoad('deploy/k8s/configmap.yaml', { file, env: byName['topicstream-env'] ?? {} });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// docker-compose.yml: the environment of the topicstream and producer services
const [compose] = readYamlDocs(path.join(ROOT, 'docker-compose.yml'));
for (const svc of ['topicstream', 'producer']) {
  const env = compose.services?.[svc]?.environment;
  if (!env) problems.push(`docker-compose.yml: service ${svc} has no environment`);
  else tryLoad(`docker-compose.yml ${svc}`, { env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])) });
}

if (problems.length) {
  console.error(`FAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
