/**
 * topicstream's HDBSCAN (the pipeline's clusterer, default settings) on a reduced matrix written
 * by someone else, e.g. umap-learn's 5-d output: separates UMAP from HDBSCAN when the two
 * systems' clusterings differ. Reads raw little-endian float32 rows, writes int32 labels.
 *
 *   node dist/bench/batch/clusterReduced.js --reduced FILE.f32 --dim 5 --out labels.i32
 */
import { parseArgs } from 'node:util';
import { createMatrix } from '../../src/core/types.js';
import { readFloat32, writeTyped } from '../../src/model/binary.js';
import { HdbscanClusterer } from '../../src/cluster/hdbscanClusterer.js';
import { loadConfig } from '../../src/config/load.js';
import { hdbscanParams } from '../../src/pipeline/components.js';
import { roundTo } from '../../src/core/round.js';

const { values } = parseArgs({ options: { reduced: { type: 'string' }, dim: { type: 'string' }, out: { type: 'string' } } });
if (!values.reduced || !values.out) {
  process.stderr.write('usage: clusterReduced.js --reduced FILE.f32 [--dim 5] --out labels.i32\n');
  process.exit(2);
}
const dim = Number(values.dim ?? 5);
const data = readFloat32(values.reduced);
if (data.length % dim !== 0) throw new Error(`${values.reduced}: ${data.length} floats is not a multiple of ${dim}`);
const x = createMatrix(data.length / dim, dim, data);
const t0 = performance.now();
const { labels } = await new HdbscanClusterer(hdbscanParams(loadConfig())).fit(x);
const seconds = (performance.now() - t0) / 1000;
writeTyped(values.out, labels);
process.stdout.write(JSON.stringify({ n: x.rows, seconds: roundTo(seconds, 3) }) + '\n');
