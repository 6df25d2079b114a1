/**
 * The embedder's tokenizer, on the main thread (the embedder sorts every text's windows by token
 * count before it forms batches): the fast WordPiece tokenizer (wordPiece.ts) when the model's
 * tokenizer.json is a BERT WordPiece one (all-MiniLM-*, bge-*, e5 BERT models), transformers.js'
 * AutoTokenizer for every other kind (XLM-R's Unigram, RoBERTa's BPE, MPNet …).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createWordPieceTokenizer } from './wordPiece.js';

export interface EmbedTokenizer {
  /** token ids of a text with its start and end token */
  encode(text: string): ArrayLike<number>;
  /** the start ([CLS], <s>), end ([SEP], </s>) and padding token ids */
  cls: number;
  sep: number;
  pad: number;
  kind: 'wordpiece' | 'transformers.js';
}

export async function loadTokenizer(modelDir: string): Promise<EmbedTokenizer> {
  const file = path.join(modelDir, 'tokenizer.json');
  const configFile = path.join(modelDir, 'tokenizer_config.json');
  const fast = existsSync(file) ? createWordPieceTokenizer(file, configFile) : null;
  let encode: (s: string) => ArrayLike<number>;
  let pad: number | undefined;
  let kind: EmbedTokenizer['kind'];
  if (fast) {
    encode = (s) => fast.encode(s);
    pad = padIdOf(modelDir, file);
    kind = 'wordpiece';
  } else {
    const { AutoTokenizer, env } = await import('@huggingface/transformers');
    // transformers.js' env is process-wide (a pull in this process sets it too): restore it after
    const saved = { allowRemoteModels: env.allowRemoteModels, allowLocalModels: env.allowLocalModels, localModelPath: env.localModelPath };
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = path.dirname(modelDir);
    try {
      const tok = await AutoTokenizer.from_pretrained(path.basename(modelDir));
      encode = (s) => tok.encode(s);
      pad = (tok as unknown as { pad_token_id?: number }).pad_token_id;
    } finally {
      Object.assign(env, saved);
    }
    kind = 'transformers.js';
  }
  const empty = encode('');
  if (empty.length !== 2) throw new Error(`the tokenizer wraps a text in ${empty.length} special tokens, not 2 (a start and an end token): unsupported`);
  return { encode, cls: empty[0]!, sep: empty[1]!, pad: pad ?? 0, kind };
}

/** The pad token's id, as transformers.js finds it: tokenizer_config.json's (or special_tokens_map.json's) pad_token looked up in tokenizer.json. */
function padIdOf(modelDir: string, tokenizerFile: string): number | undefined {
  let name: string | undefined;
  for (const f of ['tokenizer_config.json', 'special_tokens_map.json']) {
    const p = path.join(modelDir, f);
    if (name !== undefined || !existsSync(p)) continue;
    const v = (JSON.parse(readFileSync(p, 'utf8')) as { pad_token?: string | { content?: string } }).pad_token;
    name = typeof v === 'string' ? v : v?.content;
  }
  if (name === undefined) return undefined;
  const json = JSON.parse(readFileSync(tokenizerFile, 'utf8')) as { added_tokens?: Array<{ id: number; content: string }>; model?: { vocab?: Record<string, number> } };
  return json.added_tokens?.find((t) => t.content === name)?.id ?? json.model?.vocab?.[name];
}
