// Row scope and schema visibility: pure functions over decisions and roles.
export { compileRowScope } from './compileRowScope.js';
export type { RowScope } from './RowScope.js';
export {
  INTROSPECT_ACTION,
  mayIntrospect,
  SCHEMA_SUBJECT,
} from './mayIntrospect.js';
