// The service's embedder on the same tweets in calls of several sizes, one or two calls at once:
// what the embedding alone reaches with the batch shapes the service hands it at saturation.
//   node dist/bench/stream/embedShapes.js [--n 5000] [--calls 64,128,256,1000]
import { parseArgs } from 'node:util';
import { readTweets } from './tweetEmbeddings.js';
import { loadConfig } from '../../src/config/load.js';
import { createEmbedderFromConfig } from '../../src/pipeline/components.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '5000' }, calls: { type: 'string', default: '64,128,256,1000' } } });
const texts = (await readTweets(Number(values.n))).map((t) => t.text);
const embedder = await createEmbedderFromConfig(loadConfig({ env: {} }));
try {
  await embedder.embed(texts.slice(0, 64));
  for (const size of values.calls!.split(',').map(Number)) {
    for (const inFlight of [1, 2]) {
      const t0 = performance.now();
      let next = 0;
      // each lane takes the next call's texts until none are left
      const lane = async () => {
        for (let from = next; from < texts.length; from = next) {
          next += size;
          await embedder.embed(texts.slice(from, from + size));
        }
      };
      await Promise.all(Array.from({ length: inFlight }, lane));
      const s = (performance.now() - t0) / 1000;
      process.stdout.write(`${JSON.stringify({ callSize: size, inFlight, docsPerSecond: Math.round(texts.length / s) })}\n`);
    }
  }
} finally {
  await embedder.close();
}
