/**
 * GET /api/openapi.json: the API described (OpenAPI 3.1). Kept beside the routes it describes;
 * test/http/openapi.test.ts checks that every route is in it and every path in it answers.
 */
import { VERSION } from '../version.js';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema, description: string): Schema => ({ description, content: { 'application/json': { schema } } });
const error = (description: string): Schema => json(ref('Error'), description);
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
const int = { type: 'integer' };
const str = { type: 'string' };
const num = { type: 'number' };

const topicId = { name: 'id', in: 'path', required: true, description: 'topic id (-1: the outliers)', schema: int };
const unauthorised = error('missing or wrong bearer token (only when http.token is set)');

const SCHEMAS: Record<string, Schema> = {
  Error: { type: 'object', required: ['error'], properties: { error: str } },
  Word: { type: 'object', properties: { word: str, score: num } },
  TopicEvent: {
    type: 'object',
    description: 'split: topic_id split off related[0]; born: new (related: where its documents came from); merged: topic_id went into related[0]; died: topic_id retired',
    properties: { type: { enum: ['born', 'died', 'merged', 'split'] }, topic_id: int, related: arrayOf(int), related_labels: arrayOf(str), label: str, model_version: int, at: { type: 'string', format: 'date-time' }, details: { type: 'object' } },
  },
  TopicView: {
    type: 'object',
    properties: {
      id: int,
      status: { enum: ['active', 'retired'] },
      label: { type: 'string', description: "the user's label when set, else the automatic one (top words)" },
      custom_label: { type: ['string', 'null'] },
      size: { type: 'integer', description: 'documents in the window' },
      words: arrayOf(ref('Word')),
      parent: { type: ['integer', 'null'] },
      born_version: int,
      trend: { ...arrayOf(int), description: 'its size at its last refits, oldest first' },
      representative_docs: { ...arrayOf(str), description: 'GET /api/topics/{id} only' },
      representative_doc_ids: { ...arrayOf(str), description: 'GET /api/topics/{id} only' },
      lineage: { ...arrayOf(ref('TopicEvent')), description: 'GET /api/topics/{id} only' },
    },
  },
  HistoryPoint: { type: 'object', properties: { model_version: int, at: { type: 'string', format: 'date-time' }, size: int, words: arrayOf(str) } },
  Series: { type: 'object', properties: { id: int, label: str, sizes: arrayOf(int), counts: arrayOf(int) } },
};

const read = (summary: string, ok: Schema, extra: Schema = {}): Schema => ({ get: { summary, responses: { 200: ok, 401: unauthorised, ...extra } } });

const PATHS: Record<string, Schema> = {
  '/healthz': { get: { summary: 'liveness: 503 only when no batch completed for stream.stuckAfterSeconds while input waits', responses: { 200: json({ type: 'object' }, 'alive'), 503: json({ type: 'object' }, 'stuck') } } },
  '/readyz': { get: { summary: 'readiness: model loaded, consumer in its group', responses: { 200: json({ type: 'object' }, 'ready'), 503: json({ type: 'object' }, 'not ready, with the failing checks') } } },
  '/metrics': { get: { summary: 'Prometheus metrics (text exposition format)', responses: { 200: { description: 'metrics', content: { 'text/plain': { schema: str } } } } } },
  '/api/topics': {
    get: {
      summary: 'the active topics and the outliers (all=1: retired ones too) and the status',
      parameters: [{ name: 'all', in: 'query', schema: { enum: ['0', '1', 'true', 'false'] } }],
      responses: { 200: json({ type: 'object', properties: { topics: arrayOf(ref('TopicView')), status: { type: 'object' } } }, 'topics'), 400: error('bad parameter'), 401: unauthorised },
    },
  },
  '/api/topics/{id}': { parameters: [topicId], ...read('one topic: words, representative documents, lineage', json(ref('TopicView'), 'the topic'), { 404: error('no such topic') }) },
  '/api/topics/{id}/history': {
    parameters: [topicId],
    ...read('the topic at each refit (size, words) and its lineage', json({ type: 'object', properties: { topic_id: int, label: str, history: arrayOf(ref('HistoryPoint')), lineage: arrayOf(ref('TopicEvent')) } }, 'history'), { 404: error('no such topic') }),
  },
  '/api/topics/{id}/label': {
    parameters: [topicId],
    put: {
      summary: "sets the topic's label (kept across refits and restarts)",
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['label'], properties: { label: { type: 'string', minLength: 1, maxLength: 80 } } } } } },
      responses: { 200: json(ref('TopicView'), 'the topic'), 400: error('bad body'), 401: unauthorised, 404: error('no such topic'), 413: error('body over 4 KiB') },
    },
    delete: { summary: 'back to the automatic label', responses: { 200: json(ref('TopicView'), 'the topic'), 401: unauthorised, 404: error('no such topic') } },
  },
  '/api/over-time': read(
    'topic sizes per refit and per ts bucket (the window by topic)',
    json({ type: 'object', properties: { refits: { type: 'object', properties: { versions: arrayOf(int), at: arrayOf(str), series: arrayOf(ref('Series')) } }, buckets: { type: ['object', 'null'], properties: { seconds: int, starts: arrayOf(str), series: arrayOf(ref('Series')) } } } }, 'series'),
  ),
  '/api/map': read(
    'a 2-D UMAP of a sample of the window (http.mapDocs), each topic at the mean of its documents; once per model version',
    json({ type: 'object', properties: { model_version: int, topics: arrayOf({ type: 'object', properties: { id: int, label: str, size: int, x: num, y: num } }), docs: arrayOf({ type: 'object', properties: { x: num, y: num, topic: int, text: str } }) } }, 'the map'),
  ),
  '/api/search': {
    get: {
      summary: 'the topic a text would get, the closest topics (find_topics) and the nearest documents',
      parameters: [
        { name: 'q', in: 'query', required: true, schema: { type: 'string', minLength: 1 } },
        { name: 'k', in: 'query', description: 'nearest documents', schema: { type: 'integer', minimum: 1, maximum: 50, default: 10 } },
      ],
      responses: {
        200: json({ type: 'object', properties: { topic: int, probability: num, topics: arrayOf({ type: 'object', properties: { id: int, label: str, similarity: num, words: arrayOf(str) } }), hits: arrayOf({ type: 'object', properties: { id: str, text: str, topic: int, similarity: num } }) } }, 'result'),
        400: error('missing q or bad k'),
        401: unauthorised,
        429: error('too many searches (Retry-After)'),
        503: error('search did not finish in time (Retry-After)'),
      },
    },
  },
  '/api/events': {
    get: {
      summary: 'the latest lifecycle events, oldest first',
      parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } }],
      responses: { 200: json({ type: 'object', properties: { events: arrayOf(ref('TopicEvent')) } }, 'events'), 400: error('bad limit'), 401: unauthorised },
    },
  },
  '/api/stream': {
    get: {
      summary: 'server-sent events: `topics` (the /api/topics body, at most once a second), `events` ({events}: a refit\'s lifecycle events), `refit` ({model_version}), `trending` (the /api/trending body after a batch, at most once a second; on connect too when stream.trend is on)',
      responses: { 200: { description: 'event stream', content: { 'text/event-stream': { schema: str } } }, 401: unauthorised, 503: error('too many live dashboards (http.maxLiveClients)') },
    },
  },
  '/api/trending': read(
    'what is new and growing: each topic\'s growth (share of the newest documents / share of the longer past) and signal (noise, stable, weak, strong, fading), the forming topics among new outliers, the latest emerging/fading events',
    json({ type: 'object', properties: { at: str, model_version: { type: 'integer' }, topics: { type: 'array' }, forming: { type: 'array' }, events: { type: 'array' } } }, 'trending'),
  ),
  '/api/status': read('counters, model version, window and index size, the last refit', json({ type: 'object' }, 'status')),
  '/api/openapi.json': { get: { summary: 'this description', responses: { 200: json({ type: 'object' }, 'OpenAPI 3.1') } } },
};

export const OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'topicstream', version: VERSION, description: 'The live topic model: topics, their history and map, search, labels. Behind `Authorization: Bearer <token>` when http.token is set.' },
  components: { schemas: SCHEMAS, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  security: [{}, { bearer: [] }],
  paths: PATHS,
};
