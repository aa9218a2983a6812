// Row scope: the rows a call may see, compiled into each subgraph's SQL.
export {
  MAX_ROW_FILTER_DEPTH,
  MAX_ROW_FILTER_NODES,
  MAX_ROW_FILTER_VALUES,
  parseRowScope,
  rowScopeOf,
  RowScopeError,
} from './RowScope.js';
export type { RowFilter, RowFilterValue, RowScope } from './RowScope.js';
export {
  addRowScope,
  scopedConditions,
  escapeLike,
} from './compileRowScope.js';
export type { RowScopeColumns } from './compileRowScope.js';
