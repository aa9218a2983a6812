// The operation that asks a gateway how another operation would be
// governed (`Query.explain`), and the shape of its answer: one text for
// `npm run explain` (explainMain.ts) and the GraphQL IDE's explain panel
// (gateway/ide/src/ExplainPanel.tsx). The web console keeps its own copy,
// typed by gql.tada from the schema (console/src/pages/developer/
// operations.ts): the console imports nothing of the gateway. Plain text
// and types only, so that the browser bundle takes nothing else with it.

/** `Query.explain` with every field of its answer. */
export const EXPLAIN_QUERY = /* GraphQL */ `
  query Explain(
    $operation: String!
    $operationName: String
    $variables: ExplainJSON
  ) {
    explain(
      operation: $operation
      operationName: $operationName
      variables: $variables
    ) {
      operationHash
      operationName
      purpose
      policyVersion
      rejectedInStrictMode
      crossDepartment
      rowScope
      fields {
        coordinate
        owners
        effect
        code
        rule
        reason
        mask
        trail
        paths
      }
    }
  }
`;

/** One field of the explained operation: its decision and what made it. */
export interface ExplainedField {
  coordinate: string;
  owners: string[];
  effect: 'ALLOW' | 'MASK' | 'DENY';
  code: string | null;
  rule: string;
  reason: string;
  mask: string | null;
  trail: string[];
  paths: string[][];
}

/** The answer of `Query.explain`. */
export interface Explanation {
  operationHash: string;
  operationName: string | null;
  purpose: string;
  policyVersion: string;
  rejectedInStrictMode: boolean;
  crossDepartment: boolean;
  rowScope: unknown;
  fields: ExplainedField[];
}
