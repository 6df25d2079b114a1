// Embeds strings with topicstream's own embedder (default config: all-MiniLM-L6-v2 fp32), from a
// given compiled tree, so bertopic_toolbox.py's MaximalMarginalRelevance sees the same word vectors
// as our MMR (which embeds its candidate words with the fit's model).
// Usage: node bench/toolbox/embedStrings.mjs BUILD_DIST IN.json OUT.f32
//   BUILD_DIST  a compiled tree (e.g. out/bench-toolbox/build/dist); IN a JSON array of strings;
//   OUT float32 rows, one per string, in order.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, input, output] = process.argv.slice(2);
if (!dist || !input || !output) {
  process.stderr.write('usage: embedStrings.mjs BUILD_DIST IN.json OUT.f32\n');
  process.exit(2);
}
const load = (p) => import(pathToFileURL(path.resolve(dist, p)).href);
const { loadConfig } = await load('src/config/load.js');
const { createEmbedderFromConfig } = await load('src/pipeline/components.js');
const texts = JSON.parse(readFileSync(input, 'utf8'));
const embedder = await createEmbedderFromConfig(loadConfig({ env: {} }));
try {
  const t0 = performance.now();
  const m = await embedder.embed(texts);
  writeFileSync(output, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  process.stderr.write(`${m.rows} x ${m.cols} in ${((performance.now() - t0) / 1000).toFixed(1)}s\n`);
} finally {
  await embedder.close();
}
