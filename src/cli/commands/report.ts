/** `topicstream report <DIR>`: an HTML report of a fitted model (BERTopic's visualize_* figures). */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCommand, showHelp } from '../flags.js';
import { REPORT } from '../commandSpecs.js';
import { loadConfig } from '../../config/load.js';
import { hnswOptions } from '../../pipeline/components.js';
import { buildReportData } from '../../report/reportData.js';
import { renderReportHtml } from '../../report/renderHtml.js';
import { hasModelSnapshot } from '../../model/snapshot.js';
import { InputError } from '../../io/lines.js';

export async function run(argv: string[]): Promise<number> {
  const p = parseCommand(REPORT, argv);
  if (p.help) return showHelp(REPORT);
  const dir = p.args.dir;
  if (!existsSync(path.join(dir, 'topics.json')) || !hasModelSnapshot(dir)) {
    throw new InputError(`${dir} is not the output folder of \`topicstream fit --out DIR\` (no topics.json and model/ in it)`);
  }
  const config = loadConfig({ file: p.values.config, flags: p.config });
  const out = p.values.out ?? path.join(dir, 'report.html');
  const say = (s: string) => {
    if (!p.values.quiet) process.stderr.write(s + '\n');
  };
  say(`laying out up to ${p.values.sample} documents of ${dir} in 2-D (UMAP)...`);
  const data = await buildReportData(dir, { maxMapDocs: p.values.sample, seed: config.seed, hnsw: hnswOptions(config) });
  writeFileSync(out, renderReportHtml(data));
  say(`wrote ${out} (${data.topics.length} topics, ${data.map.nSampled} documents on the map${data.overTime ? ', topics over time' : ''})`);
  return 0;
}
