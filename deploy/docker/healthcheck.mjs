#!/usr/bin/env node
// Container health check (the Dockerfile's HEALTHCHECK): GET http://127.0.0.1:$PORT/<path>, exit 0
// on a 2xx answer. node:20-slim has neither curl nor wget, and Node 20 has fetch built in.
// Usage: node healthcheck.mjs [/healthz|/readyz]   (port from TOPICSTREAM_HTTP_PORT, default 9464)
const path = process.argv[2] ?? '/healthz';
const port = Number(process.env.TOPICSTREAM_HTTP_PORT || 9464);
try {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) });
  if (!res.ok) {
    console.error(`${path}: HTTP ${res.status} ${await res.text()}`);
    process.exit(1);
  }
} catch (e) {
  console.error(`${path}: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
