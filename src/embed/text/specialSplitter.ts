/**
 * Step 1 of the fast WordPiece tokenizer (wordPiece.ts): the raw text split at the added special
 * tokens ([CLS], [SEP], [MASK] …), each kept whole.
 */

/** tokenizer.json's `added_tokens` entries */
export interface AddedToken {
  id: number;
  content: string;
  normalized?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
  single_word?: boolean;
}

/**
 * Splits a raw text at the special tokens (longest match at the leftmost position, as
 * transformers.js' DictionarySplitter): a special token's id goes to `push`, the text between
 * them to `section`.
 */
export class SpecialSplitter {
  private readonly byFirst = new Map<number, Array<{ content: string; id: number }>>();

  constructor(added: readonly AddedToken[]) {
    for (const t of added) {
      const k = t.content.charCodeAt(0);
      const list = this.byFirst.get(k) ?? [];
      list.push({ content: t.content, id: t.id });
      // longest first: the first match is the longest
      list.sort((a, b) => b.content.length - a.content.length);
      this.byFirst.set(k, list);
    }
  }

  split(text: string, section: (s: string) => void, push: (id: number) => void): void {
    if (this.byFirst.size === 0) {
      if (text.length > 0) section(text);
      return;
    }
    let start = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const list = this.byFirst.get(text.charCodeAt(i));
      if (!list) continue;
      for (const t of list) {
        if (text.startsWith(t.content, i)) {
          if (i > start) section(text.slice(start, i));
          push(t.id);
          i += t.content.length - 1;
          start = i + 1;
          break;
        }
      }
    }
    if (start < n) section(text.slice(start));
  }
}
