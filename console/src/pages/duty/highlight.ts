/** The entities the search API escapes its fragments' text with. */
const ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * A search fragment (HTML-escaped text, matches in `<em>…</em>`, as the
 * search API sends it) as plain text parts, each marked whether it matched:
 * split and unescaped, never parsed as HTML.
 */
export function fragmentParts(
  fragment: string,
): { text: string; match: boolean }[] {
  return fragment
    .split(/<\/?em>/)
    .map((part, i) => ({
      text: part.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e),
      match: i % 2 === 1,
    }))
    .filter((part) => part.text !== '');
}
