// Highlighting: matched terms wrapped in <em>…</em>, everything else
// HTML-escaped, cut into fragments of bounded length around the matches.
import { analyze } from './analyze.js';

/** Limits of {@link highlightText}. */
export interface HighlightOptions {
  /** Longest fragment, in characters of the source text. @defaultValue 100 */
  readonly fragmentSize?: number;
  /** Most fragments per field. @defaultValue 3 */
  readonly maxFragments?: number;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `& < > " '` for HTML text and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Spans [start, end) of `text` covered by tokens in `terms`, merged when they overlap or touch. */
export function matchSpans(
  text: string,
  terms: ReadonlySet<string>,
): [number, number][] {
  const spans: [number, number][] = [];
  for (const token of analyze(text)) {
    if (!terms.has(token.term)) continue;
    const last = spans[spans.length - 1];
    if (last && token.start <= last[1]) last[1] = Math.max(last[1], token.end);
    else spans.push([token.start, token.end]);
  }
  return spans;
}

/**
 * Fragments of `text` around the occurrences of `terms`, matches wrapped in
 * `<em>…</em>`; none when nothing matches. A fragment starts a little before
 * its first match and is at most `fragmentSize` characters (a single longer
 * match is kept whole).
 */
export function highlightText(
  text: string,
  terms: ReadonlySet<string>,
  options: HighlightOptions = {},
): string[] {
  const size = options.fragmentSize ?? 100;
  const max = options.maxFragments ?? 3;
  const spans = matchSpans(text, terms);
  const fragments: string[] = [];
  let i = 0;
  while (i < spans.length && fragments.length < max) {
    const first = spans[i];
    if (!first) break;
    const lead = Math.min(first[0], Math.floor(size / 5));
    const start = Math.max(0, first[0] - lead);
    const end = Math.max(first[1], Math.min(text.length, start + size));
    let out = '';
    let at = start;
    while (i < spans.length) {
      const span = spans[i];
      if (!span || span[0] >= end) break;
      const spanEnd = Math.min(span[1], end);
      out += escapeHtml(text.slice(at, span[0]));
      out += `<em>${escapeHtml(text.slice(span[0], spanEnd))}</em>`;
      at = spanEnd;
      i += 1;
      if (spanEnd < span[1]) break;
    }
    out += escapeHtml(text.slice(at, end));
    fragments.push(out);
  }
  return fragments;
}

/** Highlights a field value: a string, or each string of a list. */
export function highlightValue(
  value: unknown,
  terms: ReadonlySet<string>,
  options: HighlightOptions = {},
): string[] {
  const max = options.maxFragments ?? 3;
  const values =
    typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  const out: string[] = [];
  for (const v of values) {
    if (typeof v !== 'string') continue;
    for (const f of highlightText(v, terms, options)) {
      if (out.length >= max) return out;
      out.push(f);
    }
  }
  return out;
}
