import { MapperKind, mapSchema, pruneSchema } from '@graphql-tools/utils';
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * The schema one principal may actually use, for its introspection: the
 * API schema without the fields `visible` rejects, without fields whose
 * type has no visible field left (repeated until nothing changes), and
 * without the types nothing reaches any more. Fields `keep` names stay
 * whatever `visible` says (the gateway's own fields, such as `explain`).
 */
export function visibleSchema(
  schema: GraphQLSchema,
  visible: (coordinate: string) => boolean,
  keep: ReadonlySet<string>,
): GraphQLSchema {
  const hidden = new Set<string>();
  const types = Object.values(schema.getTypeMap()).filter(
    (t): t is GraphQLObjectType | GraphQLInterfaceType =>
      (isObjectType(t) || isInterfaceType(t)) && !t.name.startsWith('__'),
  );
  for (const type of types) {
    for (const name of Object.keys(type.getFields())) {
      const coordinate = `${type.name}.${name}`;
      if (!keep.has(coordinate) && !visible(coordinate)) hidden.add(coordinate);
    }
  }
  const emptied = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const type of types) {
      const fields = Object.values(type.getFields());
      if (!emptied.has(type.name)) {
        const left = fields.filter(
          (f) => !hidden.has(`${type.name}.${f.name}`),
        );
        if (left.length === 0) {
          emptied.add(type.name);
          changed = true;
        }
      }
      for (const field of fields) {
        const coordinate = `${type.name}.${field.name}`;
        if (
          !hidden.has(coordinate) &&
          emptied.has(getNamedType(field.type).name)
        ) {
          hidden.add(coordinate);
          changed = true;
        }
      }
    }
  }
  const mapped = mapSchema(schema, {
    [MapperKind.COMPOSITE_FIELD]: (config, fieldName, typeName) =>
      hidden.has(`${typeName}.${fieldName}`) ? null : config,
  });
  return pruneSchema(mapped);
}
