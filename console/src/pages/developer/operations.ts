import { graphql } from '../../graphql/graphql.js';

/** `Query.explain`: what the gateway decides for each field of an operation, without running it. */
export const ExplainQuery = graphql(`
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
        paths
        effect
        code
        rule
        reason
        mask
        trail
      }
    }
  }
`);
