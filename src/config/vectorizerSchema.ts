/** The topic words' vectorizer settings: `fit`'s (BERTopic's CountVectorizer) and the service's. */
import { z } from 'zod';
import { positiveInt } from './common.js';

/**
 * What is left out of topic words: `readable` false is BERTopic's CountVectorizer (`fit`'s
 * defaults), true the service's (`stream.vectorizer`).
 */
const wordFilterKeys = (readable: boolean) => ({
  stopWords: z.enum(['english']).nullable().default(readable ? 'english' : null),
  /** Leave URLs out of the topic words (removed before cleaning, which would glue one into "httpstcoabc"). */
  dropUrls: z.boolean().default(readable),
  /** Leave @handles (and a retweet's "RT") out of the topic words. */
  dropHandles: z.boolean().default(readable),
  /** Leave HTML entities ("&amp;", which the cleaning turns into the word "amp") out of the topic words. */
  dropHtmlEntities: z.boolean().default(readable),
  /** Leave tokens made of digits only ("2016") out of the topic words. */
  dropNumbers: z.boolean().default(readable),
  /** Shortest token kept, in characters (the token pattern keeps 2 and more already). */
  minTokenChars: z.number().int().min(1).default(2),
});

export const vectorizerSchema = z
  .object({
    lowercase: z.boolean().default(true),
    /** int = document count, float in (0,1) = fraction of documents */
    minDf: z.number().positive().default(1),
    maxDf: z.number().positive().default(1.0),
    ngramRange: z.tuple([positiveInt, positiveInt]).default([1, 1]),
    ...wordFilterKeys(false),
  })
  .strict();

/**
 * The service's topic words: `vectorizer` with these keys replaced. Readable by default (English
 * stop words, no URLs, @handles or numbers); keys not set here (minDf, ...) come from `vectorizer`.
 * `fit` keeps `vectorizer` as it is (BERTopic's defaults).
 */
export const streamVectorizerSchema = vectorizerSchema.partial().extend(wordFilterKeys(true)).strict();
