import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CountVectorizer, type CountVectorizerOptions } from '../../src/represent/countVectorizer.js';
import { compareCodePoints } from '../../src/represent/vocabulary.js';
import { type CsrJson, csrEntries, docsFixture, loadFixture } from './fixtureData.js';

interface VectorizerFixture {
  unicode_strings: string[];
  cases: { name: string; options: CountVectorizerOptions; n_docs: number; vocabulary: string[]; matrix: CsrJson }[];
}

const fx = loadFixture<VectorizerFixture>('represent', 'vectorizer.json');
const { docs } = docsFixture();

for (const c of fx.cases) {
  test(`CountVectorizer "${c.name}" equals scikit-learn (vocabulary and counts)`, () => {
    // The generator's inputs: a prefix of the fixture docs, plus the Unicode strings for ngram23.
    const input = c.name === 'ngram23_nolowercase' ? [...docs.slice(0, 12), ...fx.unicode_strings] : docs.slice(0, c.n_docs);
    assert.equal(input.length, c.n_docs);
    const { vocabulary, matrix } = new CountVectorizer(c.options).fitTransform(input);
    assert.deepEqual(vocabulary, c.vocabulary);
    assert.equal(matrix.rows, c.matrix.rows);
    assert.equal(matrix.cols, c.matrix.cols);
    assert.deepEqual(Array.from(matrix.indptr), c.matrix.indptr);
    assert.deepEqual(csrEntries(matrix), csrEntries(c.matrix));
  });
}

test('transform counts over the fitted vocabulary and ignores unknown words', () => {
  const cv = new CountVectorizer();
  cv.fitTransform(['apple banana', 'banana cherry']);
  const m = cv.transform(['banana banana durian apple']);
  assert.deepEqual(cv.featureNames(), ['apple', 'banana', 'cherry']);
  assert.deepEqual(Array.from(m.indices), [0, 1]);
  assert.deepEqual(Array.from(m.data), [1, 2]);
});

test('df bounds: integer >= 1 is a count, other numbers are fractions, explicit forms work', () => {
  const d = ['aa bb', 'aa cc', 'aa bb dd'];
  assert.deepEqual(new CountVectorizer({ minDf: 2 }).fitTransform(d).vocabulary, ['aa', 'bb']);
  assert.deepEqual(new CountVectorizer({ maxDf: 0.9 }).fitTransform(d).vocabulary, ['bb', 'cc', 'dd']);
  assert.deepEqual(new CountVectorizer({ maxDf: { count: 2 } }).fitTransform(d).vocabulary, ['bb', 'cc', 'dd']);
  assert.deepEqual(new CountVectorizer({ minDf: { fraction: 0.5 } }).fitTransform(d).vocabulary, ['aa', 'bb']);
  assert.throws(() => new CountVectorizer({ minDf: 3, maxDf: 2 }).fitTransform(d), /maxDf/);
  assert.throws(() => new CountVectorizer({ minDf: 2 }).fitTransform(['aa bb', 'cc dd']), /no terms remain/);
  assert.throws(() => new CountVectorizer({ stopWords: 'english' }).fitTransform(['the of and']), /empty vocabulary/);
});

test('vocabulary order is Python code point order, also above U+FFFF', () => {
  const words = ['\u{1D400}x', '\uFF41x', 'zz', '\u00e9t'];
  // U+FF41 (fullwidth a) < U+1D400 (math bold A) by code point, though not by UTF-16 unit.
  assert.deepEqual([...words].sort(compareCodePoints), ['zz', '\u00e9t', '\uFF41x', '\u{1D400}x']);
  const { vocabulary } = new CountVectorizer().fitTransform([words.join(' ')]);
  assert.deepEqual(vocabulary, ['zz', '\u00e9t', '\uFF41x', '\u{1D400}x']);
});
