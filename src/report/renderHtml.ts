/**
 * The report as one self-contained HTML file: the data as JSON, ECharts inlined (read from
 * node_modules/echarts at report time), the page script (clientScript.ts); no network requests.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CLIENT_SCRIPT } from './clientScript.js';
import type { ReportData } from './reportData.js';

/** The minified ECharts build of the installed `echarts` package. */
export function echartsSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
}

/** Code safe inside a <script> element (no "</script"). */
function scriptText(s: string): string {
  return s.replace(/<\/(script)/gi, '<\\/$1');
}

/** JSON safe inside a <script> element: every "<" escaped. */
function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1280px; padding: 16px 24px; color: #222; }
h1 { font-size: 22px; margin: 8px 0; } h2 { font-size: 17px; margin: 28px 0 4px; }
p.about { color: #555; font-size: 13px; margin: 2px 0 10px; }
.summary { color: #444; font-size: 14px; }
#bars { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr)); gap: 8px; }
.bar-chart { height: 300px; }
#map { height: 620px; } #over-time { height: 420px; } #hierarchy, #heatmap { height: 500px; }
`;

function section(id: string, title: string, about: string, body: string): string {
  return `<section id="section-${id}"><h2>${esc(title)}</h2><p class="about">${about}</p>${body}</section>`;
}

function sections(d: ReportData): string {
  const noTime = '<p class="about">The documents had no <code>ts</code>: no topics over time.</p>';
  return [
    section('bars', 'Topic word scores', 'Top words of each topic by c-TF-IDF score (BERTopic: <code>visualize_barchart</code>).', '<div id="bars"></div>'),
    section(
      'map',
      'Documents',
      `${d.map.nSampled} documents laid out in 2-D by UMAP of their embeddings, coloured by topic; hover for the text (BERTopic: <code>visualize_documents</code>).`,
      '<div id="map" class="chart"></div>',
    ),
    section(
      'over-time',
      'Topics over time',
      'Documents per topic in each time bin; hover for the bin\'s top words (BERTopic: <code>visualize_topics_over_time</code>).',
      d.overTime ? '<div id="over-time" class="chart"></div>' : noTime,
    ),
    section('hierarchy', 'Topic hierarchy', 'Ward linkage of the topics\' c-TF-IDF word vectors, cosine distance (BERTopic: <code>visualize_hierarchy</code>).', d.hierarchy ? '<div id="hierarchy" class="chart"></div>' : '<p class="about">Fewer than two topics.</p>'),
    section('heatmap', 'Topic similarity', 'Cosine similarity of the topics\' mean document embeddings (BERTopic: <code>visualize_heatmap</code>).', d.heatmap ? '<div id="heatmap" class="chart"></div>' : '<p class="about">No topics.</p>'),
  ].join('\n');
}

export function renderReportHtml(d: ReportData, echarts: string = echartsSource()): string {
  const summary = `${d.nDocs} documents, ${d.topics.length} topics, ${d.outliers} outliers · ${esc(d.model)} · fitted ${esc(d.createdAt)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>topicstream report: ${esc(d.source)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Topic report</h1>
<div class="summary">${esc(d.source)}: ${summary}</div>
${sections(d)}
<script type="application/json" id="report-data">${jsonText(d)}</script>
<script>${scriptText(echarts)}</script>
<script>${scriptText(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}
