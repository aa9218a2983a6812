import {
  RemoteGraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
} from '@apollo/gateway';

import {
  ErrorCode,
  GraphQLErrorWithCode,
} from '../../subgraphs/kit/src/index.js';

/**
 * The gateway's connection to one department's subgraph. A subgraph that is
 * down, times out or answers with an HTTP error yields one clean
 * `UPSTREAM_UNAVAILABLE` error naming the subgraph; its URL, status body and
 * stack never reach the client. The rest of the plan still runs, so the
 * response carries partial data.
 */
export class DepartmentDataSource extends RemoteGraphQLDataSource {
  readonly name: string;

  constructor(options: { name: string; url: string }) {
    super({ url: options.url });
    this.name = options.name;
  }

  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLErrorWithCode) throw error;
    throw new GraphQLErrorWithCode(
      `Subgraph "${this.name}" is unavailable; data it owns is missing from this response.`,
      ErrorCode.UPSTREAM_UNAVAILABLE,
      { extensions: { subgraph: this.name } },
    );
  }
}

export type { GraphQLDataSourceProcessOptions };
