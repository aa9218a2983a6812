// CJK-aware analysis, the same idea as Elasticsearch's `cjk` analyzer: runs
// of CJK characters become overlapping bigrams (a lone CJK character stays a
// unigram), other letters and digits form lower-cased words. Both backends
// and the highlighter use it, so a query term and an indexed term always come
// from the same rules.

/** One term of a text and where it came from (UTF-16 offsets, end exclusive). */
export interface Token {
  readonly term: string;
  readonly start: number;
  readonly end: number;
}

const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;

type CharClass = 'cjk' | 'word' | 'other';

/** Full-width ASCII (Ａ, １) to half-width, as `cjk_width` does. */
function halfWidth(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code >= 0xff01 && code <= 0xff5e
    ? String.fromCodePoint(code - 0xfee0)
    : ch;
}

function classOf(ch: string): CharClass {
  if (CJK.test(ch)) return 'cjk';
  return WORD.test(ch) ? 'word' : 'other';
}

/**
 * Splits `text` into tokens: overlapping bigrams of each CJK run (a run of one
 * character gives that character), one lower-cased token per run of other
 * letters and digits; everything else separates.
 */
export function analyze(text: string): Token[] {
  const tokens: Token[] = [];
  // Characters with their offsets, iterated by code point.
  let run: { ch: string; start: number; end: number }[] = [];
  let runClass: CharClass = 'other';
  const flush = (): void => {
    if (run.length === 0) return;
    if (runClass === 'cjk') {
      if (run.length === 1) {
        const only = run[0];
        if (only)
          tokens.push({ term: only.ch, start: only.start, end: only.end });
      } else {
        for (let i = 0; i + 1 < run.length; i += 1) {
          const a = run[i];
          const b = run[i + 1];
          if (a && b)
            tokens.push({ term: a.ch + b.ch, start: a.start, end: b.end });
        }
      }
    } else if (runClass === 'word') {
      const first = run[0];
      const last = run[run.length - 1];
      if (first && last) {
        tokens.push({
          term: run
            .map((c) => c.ch)
            .join('')
            .toLowerCase(),
          start: first.start,
          end: last.end,
        });
      }
    }
    run = [];
  };
  let offset = 0;
  for (const raw of text) {
    const ch = halfWidth(raw);
    const cls = classOf(ch);
    if (cls !== runClass) {
      flush();
      runClass = cls;
    }
    if (cls !== 'other')
      run.push({ ch, start: offset, end: offset + raw.length });
    offset += raw.length;
  }
  flush();
  return tokens;
}

/** The distinct terms of a text, in order of first appearance. */
export function termsOf(text: string): string[] {
  return [...new Set(analyze(text).map((t) => t.term))];
}

/**
 * The terms a query text must all match (distinct, in order). Blank or
 * punctuation-only text gives none.
 */
export function queryTerms(text: string | undefined): string[] {
  return text === undefined ? [] : termsOf(text);
}

/** The terms of a document field value (a string or a list of strings). */
export function fieldTerms(value: unknown): string[] {
  if (typeof value === 'string') return termsOf(value);
  if (Array.isArray(value)) {
    const all = new Set<string>();
    for (const v of value)
      if (typeof v === 'string') for (const t of termsOf(v)) all.add(t);
    return [...all];
  }
  return [];
}
