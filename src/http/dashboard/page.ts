/**
 * The dashboard's HTML: the page's skeleton only. Everything in it is drawn by assets/dashboard.js
 * from the JSON API and the server-sent events; the scripts load by relative URL, so the page works
 * behind a path prefix.
 */
import { DASHBOARD_STYLE } from './style.js';

const OVERVIEW = `
<div id="overview">
 <section id="section-topics">
  <h2>Topics</h2>
  <p class="about">The current topics, largest first: size in the window, size at the last refits, top words. Open one for its words, documents and history.</p>
  <table id="topics-table"><thead><tr><th>topic</th><th class="num">size</th><th>trend</th><th>top words</th></tr></thead><tbody id="topics"></tbody></table>
  <p class="note" id="topics-note" hidden></p>
 </section>
 <section id="section-over-time">
  <h2>Topics over time <span class="modes" role="group" aria-label="x axis">
   <button type="button" id="ot-refit" aria-pressed="true">per refit</button>
   <button type="button" id="ot-bucket" aria-pressed="false">per time bucket</button></span></h2>
  <p class="about" id="ot-about">Documents per topic in the window at each refit (stacked).</p>
  <div id="over-time" class="chart"></div>
  <p class="note" id="over-time-note" hidden></p>
 </section>
 <section id="section-map">
  <h2>Topic map</h2>
  <p class="about">Topics at their centroids (2-D), sized by documents, over a sample of the window's documents coloured by topic. Hover for the text, click to open a topic.</p>
  <div id="map" class="chart"></div>
  <p class="note" id="map-note" hidden></p>
 </section>
</div>`;

const TOPIC_PAGE = `
<div id="topic-view" hidden>
 <section id="section-topic">
  <p><a href="#/">← all topics</a></p>
  <h2 id="tp-title"></h2>
  <div id="tp-meta"></div>
  <form id="tp-label-form" autocomplete="off">
   <label for="tp-label">Label</label>
   <input type="text" id="tp-label" maxlength="80" placeholder="a name for this topic">
   <button type="submit" class="btn" id="tp-label-save">Save</button>
   <button type="button" class="btn" id="tp-label-reset">Automatic</button>
   <span id="tp-label-msg" role="status"></span>
  </form>
  <p class="note" id="tp-note" hidden></p>
  <div class="grid2">
   <div><h3>Words (c-TF-IDF score)</h3><div id="tp-words" class="chart"></div></div>
   <div><h3>Size at each refit</h3><div id="tp-history" class="chart"></div></div>
  </div>
  <h3>Representative documents</h3>
  <ol id="tp-docs"></ol>
  <h3>Lineage</h3>
  <ul id="tp-lineage"></ul>
 </section>
</div>`;

const SIDE = `
<aside>
 <section id="section-rising">
  <h2>Rising now</h2>
  <p class="about">Topics forming among new posts unlike anything seen before, and topics growing against their past (growth ×N: share of the newest documents over share of the longer past), after every batch.</p>
  <ol id="rising"></ol>
  <p class="note" id="rising-note" hidden></p>
  <p class="about" id="rising-at"></p>
 </section>
 <section id="section-search">
  <h2>Search</h2>
  <p class="about">The topics closest to a text, and the nearest documents in the window.</p>
  <form id="search-form" role="search" autocomplete="off">
   <input type="search" id="search-q" placeholder="a word or a sentence" maxlength="2000">
   <button type="submit" class="btn">search</button>
  </form>
  <div id="search-results"></div>
 </section>
 <section id="section-events">
  <h2>Events</h2>
  <p class="about">Topics born, split, merged and retired at each refit, newest first.</p>
  <div id="events"></div>
 </section>
</aside>`;

/** The page; `scriptVersion` goes into the script's URL, so a browser never runs a cached script of another release. */
export const pageHtml = (scriptVersion: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>topicstream</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<style>${DASHBOARD_STYLE}</style></head>
<body>
<header><h1><a href="#/">topicstream</a></h1><div id="status">loading…</div><span id="conn">connecting</span></header>
<main>
<div>${OVERVIEW}${TOPIC_PAGE}
</div>${SIDE}
</main>
<script src="assets/echarts.min.js"></script>
<script src="assets/dashboard.js?v=${scriptVersion}"></script>
</body></html>`;
