/**
 * Scores an embedding file (n x c float32) against the input embeddings it came from, with the same
 * metrics as compareReducers (not a test):
 *   node dist/bench/reduce/evalEmbedding.js <embeddingsBase> <n> <output.f32> [cols=5]
 */
import { readFileSync } from 'node:fs';
import { createMatrix } from '../../src/core/types.js';
import { trustworthiness } from '../../src/reduce/quality/trustworthiness.js';
import { knnAccuracy } from '../../src/reduce/quality/knnAccuracy.js';
import { loadEmbeddings } from './realData.js';

const [base, nArg, file, colsArg] = process.argv.slice(2);
const n = Number(nArg);
const cols = Number(colsArg ?? 5);
const { x, labels } = loadEmbeddings(base!, n);
const buf = readFileSync(file!);
const y = createMatrix(n, cols, new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + n * cols * 4)));
const qualityN = Math.min(Number(process.env.QUALITY_N ?? 3000), n);
const tw = trustworthiness(createMatrix(qualityN, x.cols, x.data.subarray(0, qualityN * x.cols)), createMatrix(qualityN, cols, y.data.subarray(0, qualityN * cols)), 15, 'cosine');
let line = `${file}: trust@15(first ${qualityN}) ${tw.toFixed(4)}`;
if (labels) line += ` knnAcc@15(all) ${knnAccuracy(y, labels, 15).toFixed(4)}`;
console.log(line);
