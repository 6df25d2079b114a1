import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/represent/analyzer.js';
import { cleanText } from '../../src/represent/textCleaning.js';
import { loadFixture } from './fixtureData.js';

interface AnalyzerFixture {
  unicode_strings: string[];
  analyzers: { name: string; options: { ngram_range?: [number, number]; stop_words?: string; lowercase?: boolean }; tokens: string[][] }[];
  bertopic_english_cleaning: string[];
}

const fx = loadFixture<AnalyzerFixture>('represent', 'vectorizer.json');

for (const a of fx.analyzers) {
  test(`analyzer "${a.name}" gives sklearn's terms on Unicode strings`, () => {
    const opts = {
      ngramRange: a.options.ngram_range,
      stopWords: a.options.stop_words === 'english' ? ('english' as const) : null,
      lowercase: a.options.lowercase,
    };
    fx.unicode_strings.forEach((s, i) => {
      // sklearn emits all unigrams, then bigrams, ...; we interleave. Compare as sorted multisets.
      const ours = analyze(s, opts).sort();
      const theirs = [...a.tokens[i]!].sort();
      assert.deepEqual(ours, theirs, `string ${i}: ${JSON.stringify(s)}`);
    });
  });
}

test("cleanText('bertopic-english') equals BERTopic._preprocess_text", () => {
  fx.unicode_strings.forEach((s, i) => {
    const expected = fx.bertopic_english_cleaning[i]!;
    const ours = cleanText(s, 'bertopic-english');
    // BERTopic maps an empty result to "emptydoc"; that rule is applied per topic text elsewhere.
    assert.equal(ours === '' ? 'emptydoc' : ours, expected, `string ${i}`);
  });
});

test('n-grams run across pieces of one document but not across documents', async () => {
  const { TermStream } = await import('../../src/represent/analyzer.js');
  const s = new TermStream({ ngramRange: [1, 2] });
  const out: string[] = [];
  s.beginDocument();
  s.addText('alpha beta', (t) => out.push(t));
  s.addText('gamma', (t) => out.push(t));
  s.beginDocument();
  s.addText('delta', (t) => out.push(t));
  assert.deepEqual(out.sort(), ['alpha', 'alpha beta', 'beta', 'beta gamma', 'delta', 'gamma']);
});

test('bad options are refused clearly', () => {
  assert.throws(() => analyze('x', { ngramRange: [2, 1] }), /ngramRange/);
  assert.throws(() => analyze('x', { stopWords: 'french' as 'english' }), /stopWords/);
});
