// Gathers the newest result of each issue-12 measurement into bench/perf/results/perf-<date>.json:
// the ratios and times against the goals, each with the machine, load and commit it came from.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Newest by the date the result records (a clone gives every file the same modification time),
// else by modification time.
const recordedAt = (file, data) => Date.parse(data.machine?.date ?? data.date ?? '') || statSync(file).mtimeMs;
const newest = (dir, prefix) => {
  if (!existsSync(dir)) return null;
  const runs = readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .map((f) => path.join(dir, f))
    .map((file) => ({ file, data: JSON.parse(readFileSync(file, 'utf8')) }));
  runs.sort((a, b) => recordedAt(b.file, b.data) - recordedAt(a.file, a.data));
  return runs[0] ?? null;
};
const out = { date: new Date().toISOString(), goals: {}, sources: {} };
const goal = (name, value, target, ok, from) => (out.goals[name] = { value, target, met: ok, from });

// the newest embedderVsBare run; an older per-corpus file only for a corpus that run did not measure
const embedRuns = [newest('bench/embed/results', 'embedderVsBare')].filter(Boolean);
const measured = new Set(embedRuns.flatMap((e) => (e.data.results ?? []).map((r) => r.corpus)));
for (const [corpus, prefix] of [['tweets', 'after-tweets'], ['20ng', 'after-20ng']]) {
  const older = measured.has(corpus) ? null : newest('bench/embed/results', prefix);
  if (older) embedRuns.push(older);
}
for (const embed of embedRuns) {
  out.sources[`embed ${embed.file}`] = embed.file;
  // CPU-seconds of the faster bare layout over the embedder's, per round (wall ratios swing with the load of a shared machine)
  for (const r of embed.data.results ?? []) {
    const ratios = (r.rounds ?? []).map((x) => Math.min(x.cpuSeconds.bare1x2, x.cpuSeconds.bare2x1) / x.cpuSeconds.embedder);
    const cpu = ratios.length ? ratios.reduce((a, b) => a + b, 0) / ratios.length : null;
    goal(`embedder / bare session, ${r.corpus} ${r.dtype} (CPU)`, cpu, '>= 0.90', cpu !== null && cpu >= 0.9, embed.file);
    goal(`embedder / bare session, ${r.corpus} ${r.dtype} (wall)`, r.ratio, '>= 0.90', r.ratio >= 0.9, embed.file);
  }
}
const knn = newest('bench/knn/results', 'nndescent');
if (knn) {
  out.sources.knn = knn.file;
  const r = knn.data.ratios ?? {};
  const threads = knn.data.nnDescent?.threads;
  goal(`k-NN graph time, ours (${threads} thread${threads === 1 ? '' : 's'}) / pynndescent (median)`, r.nndescentOverPynndescentMedian, '<= 1.0', r.nndescentOverPynndescentMedian <= 1, knn.file);
  goal('k-NN graph time, ours on 1 thread / pynndescent (median)', r.oneThreadOverPynndescentMedian, '<= 1.0', r.oneThreadOverPynndescentMedian <= 1, knn.file);
}
const fixed = (file) => (existsSync(file) ? { file, data: JSON.parse(readFileSync(file, 'utf8')) } : null);
const refit = fixed('bench/stream/results/refit-time.json');
if (refit) {
  out.sources.refit = refit.file;
  const rows = refit.data.rows ?? [];
  const at = (n) => rows.filter((x) => x.windowDocs === n).map((x) => x.total);
  const mean = (a) => (a.length ? a.reduce((s, x) => s + x, 0) / a.length : null);
  const t20 = mean(at(20000));
  goal('refit of a 20k window (s)', t20, '<= 10', t20 !== null && t20 <= 10, refit.file);
  const t5 = mean(at(5000));
  const t40 = mean(at(40000));
  const [big, factor] = t40 ? [t40, 8] : [t20, 4];
  if (t5 && big) goal(`refit time exponent 5k -> ${factor * 5}k`, Math.log(big / t5) / Math.log(factor), '<= 1.2', Math.log(big / t5) / Math.log(factor) <= 1.2, refit.file);
  const rss50 = Math.max(0, ...rows.filter((x) => x.windowDocs === 50000).map((x) => x.peakRssMB));
  if (rss50 > 0) goal('peak RSS of the refit benchmark at a 50k window (MB)', rss50, '<= 1536', rss50 <= 1536, refit.file);
}
const tp = fixed('bench/stream/results/throughput-latency.json');
if (tp) {
  out.sources.throughput = tp.file;
  const p99 = (tp.data.paced?.latency?.toArrivalSeconds?.p99 ?? NaN) * 1000;
  goal(`p99 produce -> assignment paced at ${tp.data.paced?.ratePerSecond} docs/s (ms)`, p99, '<= 250 at half of saturation', p99 <= 250, tp.file);
  const ratio = tp.data.kafkaOverEmbedOnly;
  goal(`through Kafka / embed-only (${tp.data.saturation?.docsPerSecond?.toFixed(0)} / ${tp.data.embedOnly?.docsPerSecond?.toFixed(0)} docs/s)`, ratio ?? null, '>= 0.9', typeof ratio === 'number' ? ratio >= 0.9 : null, tp.file);
}
mkdirSync('bench/perf/results', { recursive: true });
const file = path.join('bench/perf/results', `perf-${out.date.slice(0, 10)}.json`);
writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
for (const [k, v] of Object.entries(out.goals)) console.log(`${v.met === true ? 'met ' : v.met === false ? 'MISS' : '    '}  ${k}: ${typeof v.value === 'number' ? v.value.toFixed(3) : v.value} (goal ${v.target})`);
console.log(`wrote ${file}`);
