// The pure search model: analysis, highlighting, cursors and validation.
export {
  analyze,
  fieldTerms,
  queryTerms,
  termsOf,
  type Token,
} from './analyze.js';
export {
  escapeHtml,
  highlightText,
  highlightValue,
  matchSpans,
  type HighlightOptions,
} from './highlight.js';
export {
  canonicalJson,
  decodeCursor,
  encodeCursor,
  hashString,
  type SortValue,
} from './cursor.js';
export { SearchRequestError } from './SearchRequestError.js';
export { latestOps, type LatestOp } from './latestOps.js';
export { assertCollectionSpec, textFieldWeight } from './spec.js';
export {
  kindOf,
  validateRequest,
  MAX_FILTER_DEPTH,
  MAX_FILTER_VALUES,
  MAX_TEXT_LENGTH,
  type FieldKind,
  type NormalizedFacet,
  type NormalizedRequest,
  type NormalizedSortKey,
} from './validateRequest.js';
