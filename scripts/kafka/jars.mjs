// The broker's class path: the jars of org.apache.kafka:kafka_2.13 (+ a log4j binding) copied from
// Maven Central by `mvn dependency:copy-dependencies` into <cache>/kafka-<version>/lib, once.
// Runnable on its own to warm a CI cache: `node scripts/kafka/jars.mjs`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { POM_FILE, loadSettings, say, seconds } from './settings.mjs';

function jarCount(dir) {
  return readdirSync(dir).filter((f) => f.endsWith('.jar')).length;
}

/**
 * Makes sure settings.libDir holds the broker's jars; downloads them (through ~/.m2) only when it
 * does not exist. The copy goes to a temporary folder renamed into place at the end, so an
 * interrupted download never leaves a half-filled lib/ that later runs would trust.
 */
export function ensureJars(settings, script = 'kafka:jars') {
  const { libDir, kafkaHome, version } = settings;
  if (existsSync(libDir)) {
    say(script, `Kafka ${version} jars: cached in ${libDir} (${jarCount(libDir)} jars)`);
    return;
  }
  mkdirSync(kafkaHome, { recursive: true });
  const tmp = join(kafkaHome, `lib.partial-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  say(script, `Kafka ${version} jars: not cached, running mvn dependency:copy-dependencies (Maven Central, ~/.m2)`);
  const t0 = Date.now();
  const args = [
    '-q', '-B', '-f', POM_FILE,
    `-Dkafka.version=${version}`, // a command-line property wins over the pom's default
    `-DoutputDirectory=${tmp}`,
    'dependency:copy-dependencies',
  ];
  const r = spawnSync(settings.mvn, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) {
    rmSync(tmp, { recursive: true, force: true });
    const hint = r.error.code === 'ENOENT' ? ' (Maven not found: install it or set MAVEN=/path/to/mvn)' : '';
    throw new Error(`could not run ${settings.mvn}: ${r.error.message}${hint}`);
  }
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    const out = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`mvn dependency:copy-dependencies failed (exit ${r.status}):\n${out}`);
  }
  if (!existsSync(join(tmp, `kafka_2.13-${version}.jar`))) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`mvn finished but kafka_2.13-${version}.jar is not in ${tmp}`);
  }
  try {
    renameSync(tmp, libDir);
  } catch (err) {
    // Another run finished first; its lib/ is as good as ours.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(libDir)) throw err;
  }
  say(script, `Kafka ${version} jars: ${jarCount(libDir)} jars in ${libDir} after ${seconds(Date.now() - t0)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    ensureJars(loadSettings());
  } catch (err) {
    console.error(`kafka:jars: ${err.message}`);
    process.exit(1);
  }
}
