import { fragmentParts } from './highlight.js';

/** A search fragment with its matches shown as <mark>, as text nodes. */
export function Highlight({ fragment }: { fragment: string }) {
  return (
    <span className="highlight">
      {fragmentParts(fragment).map((part, i) =>
        part.match ? (
          <mark key={i}>{part.text}</mark>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </span>
  );
}
