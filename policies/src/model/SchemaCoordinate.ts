/**
 * A GraphQL schema coordinate of a field, `Type.field` (e.g.
 * `Person.idNumber`, `CrowdArea.observations`). See
 * https://spec.graphql.org/draft/#sec-Schema-Coordinates.
 */
export type SchemaCoordinate = string;
