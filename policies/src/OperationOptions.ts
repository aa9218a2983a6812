/**
 * What `analyzeOperation` and `removeFields` need to know about a request
 * besides its document: which operation runs and with which variables, so
 * that the analysis sees exactly the fields execution would.
 */
export interface OperationOptions {
  /**
   * The operation to analyse, as the request names it. May be left out only
   * when the document holds exactly one operation
   * (https://spec.graphql.org/October2021/#GetOperation()).
   * @defaultValue null
   */
  operationName?: string | null | undefined;
  /**
   * The request's variable values, as sent (not yet coerced). Only the values
   * of variables used in `@skip(if:)` / `@include(if:)` matter here; a
   * variable with no usable Boolean value and no Boolean default counts as
   * possibly true, so the fields it guards count as touched.
   * @defaultValue null
   */
  variables?: Readonly<Record<string, unknown>> | null | undefined;
  /**
   * The most field selections the traversal may visit (each field counted
   * once per response path it is reached at) before it gives up with
   * `TOO_MANY_SELECTIONS`. Guards the gateway against documents whose
   * fragments expand exponentially.
   * @defaultValue 100000
   */
  maxSelections?: number | undefined;
}
