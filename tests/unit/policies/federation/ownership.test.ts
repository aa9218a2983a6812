// Field ownership for every Federation 2 construct of the join spec, read
// from supergraphs composed here with @apollo/composition from small
// subgraph SDLs, and what governOperation decides from it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Kind, parse, print, validate, visit } from 'graphql';

import {
  decideCoordinate,
  governOperation,
  INACCESSIBLE_FIELD_RULE,
  readFieldCatalog,
  readOwnership,
  unownedFieldRule,
  type GovernedPlan,
  type NegativeListEntry,
  type PolicySet,
  type Principal,
} from '../../../../policies/src/index.js';
import {
  apiSchemaOf,
  composeSubgraphs,
  federationLink,
} from '../../../utils/federation.js';

const NOW = new Date('2026-11-22T00:00:00Z');

const ALLOW_ALL: PolicySet = {
  version: 'allow-all',
  entries: [],
  grants: [],
  roles: { reader: [{ action: 'read', subject: 'all' }] },
};

function notShared(owner: string, coordinates: string[]): NegativeListEntry {
  return {
    id: `NL-${owner}`,
    version: 1,
    ownerDepartment: owner,
    selector: { coordinates },
    shareClass: 'NOT_SHARED',
    legalBasis: 'test',
    reason: `${owner} does not share these`,
    priority: 10,
    status: 'ACTIVE',
  };
}

function denying(...entries: NegativeListEntry[]): PolicySet {
  return { ...ALLOW_ALL, version: 'deny', entries };
}

function principal(department: string): Principal {
  return {
    subject: `${department}-reader`,
    department,
    roles: ['reader'],
    level: 'CITY',
    regionCode: '500000',
    purposes: ['testing'],
  };
}

/** Library (`a`) with an interface object (`reviews`), a progressive and a plain override from `legacy`. */
const interfaceObjectSupergraph = composeSubgraphs([
  {
    name: 'library',
    typeDefs: `${federationLink('@key', '@override', '@shareable')}
      type Query { media: [Media] }
      interface Media @key(fields: "id") { id: ID! title: String }
      type Book implements Media @key(fields: "id") {
        id: ID!
        title: String
        pages: Int @override(from: "legacy", label: "percent(25)")
        isbn: String @override(from: "legacy")
      }
      type Film implements Media @key(fields: "id") { id: ID! title: String minutes: Int }`,
  },
  {
    name: 'reviews',
    typeDefs: `${federationLink('@key', '@interfaceObject', '@tag')}
      type Media @key(fields: "id") @interfaceObject {
        id: ID!
        rating: Int @tag(name: "class:PERSONAL")
        reviewer: String @tag(name: "owner:reviews")
        score: Int @tag(name: "owner:library")
        votes: Int @tag(name: "owner:elsewhere")
      }`,
  },
  {
    name: 'legacy',
    typeDefs: `${federationLink('@key')}
      type Book @key(fields: "id") { id: ID! pages: Int isbn: String }`,
  },
]);

/** Inventory (`stock`) provides `Item.name` from `catalog` on one path; `shipping` requires `weight`. */
const providesSupergraph = composeSubgraphs([
  {
    name: 'catalog',
    typeDefs: `${federationLink('@key', '@shareable', '@inaccessible')}
      type Query { item(id: ID!): Item  internalNote: String @inaccessible }
      type Item @key(fields: "id") {
        id: ID!
        name: String @shareable
        weight: Int
        price: Money @shareable
        cost: Int @inaccessible
      }
      type Money @shareable { amount: Int currency: String }`,
  },
  {
    name: 'stock',
    typeDefs: `${federationLink('@key', '@external', '@provides', '@requires', '@shareable')}
      type Query { lowStock: [Item] @provides(fields: "name") }
      type Item @key(fields: "id") {
        id: ID!
        name: String @external
        weight: Int @external
        shipping: Int @requires(fields: "weight")
        price: Money @shareable
        onHand: Int
      }
      type Money @shareable { amount: Int currency: String }`,
  },
]);

/** `@context`/`@fromContext` and an entity interface resolved by one graph. */
const contextSupergraph = composeSubgraphs([
  {
    name: 'city',
    typeDefs: `${federationLink('@key', '@context', '@fromContext')}
      type Query { district(code: ID!): District }
      type District @key(fields: "code") @context(name: "district") {
        code: ID!
        name: String
        grid: Grid
      }
      type Grid @key(fields: "id") {
        id: ID!
        label(districtName: String @fromContext(field: "$district { name }")): String
      }`,
  },
  {
    name: 'people',
    typeDefs: `${federationLink('@key')}
      type Grid @key(fields: "id") { id: ID! residents: Int }`,
  },
]);

function owners(supergraph: string, coordinate: string): readonly string[] {
  const entry = readFieldCatalog(supergraph).get(coordinate);
  assert.ok(entry, `${coordinate} is in the catalog`);
  return entry.subgraphs;
}

function govern(
  supergraph: string,
  query: string,
  who: Principal,
  policy: PolicySet = ALLOW_ALL,
  options: { router?: boolean } = {},
): GovernedPlan {
  const schema = apiSchemaOf(supergraph, options);
  const document = parse(query);
  assert.deepEqual(validate(schema, document), [], 'test query must be valid');
  return governOperation({
    schema,
    document,
    operationName: null,
    variables: null,
    principal: who,
    purpose: 'testing',
    policy,
    ownership: readOwnership(supergraph),
    localCoordinates: new Set(),
    now: NOW,
  });
}

describe('ownership of Federation 2 constructs', () => {
  describe('@interfaceObject', () => {
    it('gives the fields an interface object contributes to every implementation to its graph', () => {
      // The supergraph writes them on Book and Film as a bare @join__field.
      assert.match(interfaceObjectSupergraph, /rating: Int .*@join__field\n/);
      for (const type of ['Media', 'Book', 'Film']) {
        assert.deepEqual(owners(interfaceObjectSupergraph, `${type}.rating`), [
          'reviews',
        ]);
      }
      assert.deepEqual(owners(interfaceObjectSupergraph, 'Book.title'), [
        'library',
      ]);
    });

    it("carries the interface field's classification to the implementations", () => {
      const ownership = readOwnership(interfaceObjectSupergraph);
      assert.deepEqual(ownership.get('Film.rating')?.classification, [
        'PERSONAL',
      ]);
    });

    it('lets another department read them under an allow-all policy, and withholds them only where the owner says', () => {
      const query = `{ media { title rating ... on Book { pages } ... on Film { minutes } } }`;
      const open = govern(interfaceObjectSupergraph, query, principal('x'));
      assert.deepEqual(open.withheld, []);
      assert.equal(open.empty, false);
      assert.match(open.text, /rating/);
      assert.ok(
        open.decisions
          .filter((d) => d.coordinate.endsWith('.rating'))
          .every((d) => d.decision.effect === 'ALLOW'),
      );
      const closed = govern(
        interfaceObjectSupergraph,
        query,
        principal('x'),
        denying(notShared('reviews', ['Book.rating', 'Film.rating'])),
      );
      assert.deepEqual(
        closed.withheld.map((w) => [w.coordinate, w.rule]).sort(),
        [
          ['Book.rating', 'negative-list:NL-reviews@1'],
          ['Film.rating', 'negative-list:NL-reviews@1'],
          // Selected on the interface: withheld with its implementations.
          ['Media.rating', 'negative-list:NL-reviews@1'],
        ],
      );
      assert.match(closed.text, /title/);
      assert.doesNotMatch(closed.text, /rating/);
      // The owner itself reads its own field.
      const own = govern(
        interfaceObjectSupergraph,
        query,
        principal('reviews'),
        denying(notShared('reviews', ['Book.rating', 'Film.rating'])),
      );
      assert.deepEqual(own.withheld, []);
    });

    it('withholds a bare @join__field no interface object declares, naming the construct, unless an owner: tag names the owner', () => {
      // The supergraph as a reader that lost the interface's join would
      // see it: Media.rating and Media.reviewer without @join__field(graph:).
      const stripped = print(
        visit(parse(interfaceObjectSupergraph), {
          InterfaceTypeDefinition(node) {
            if (node.name.value !== 'Media') return undefined;
            return {
              ...node,
              directives: node.directives?.filter(
                (d) =>
                  !(
                    d.name.value === 'join__type' &&
                    d.arguments?.some(
                      (a) =>
                        a.name.value === 'isInterfaceObject' &&
                        a.value.kind === Kind.BOOLEAN &&
                        a.value.value,
                    )
                  ),
              ),
            };
          },
        }),
      );
      const ownership = readOwnership(stripped);
      const { owners: none, decision } = decideCoordinate('Book.rating', {
        principal: principal('x'),
        purpose: 'testing',
        policy: ALLOW_ALL,
        ownership,
        now: NOW,
      });
      assert.deepEqual(none, []);
      assert.equal(decision.effect, 'DENY');
      assert.equal(decision.rule, unownedFieldRule('interface-object'));
      assert.match(decision.reason, /bare @join__field/);
      assert.match(decision.reason, /owner:<subgraph>/);
      // Media.reviewer is tagged owner:reviews in its subgraph.
      assert.deepEqual(ownership.get('Book.reviewer')?.owners, ['reviews']);
      assert.deepEqual(ownership.get('Book.score')?.owners, ['library']);
      // An owner: tag naming no subgraph of the supergraph names nobody.
      assert.deepEqual(ownership.get('Book.votes')?.owners, []);
      assert.equal(
        ownership.get('Book.votes')?.unowned?.construct,
        'interface-object',
      );
      // Where the join directives name owners, owner: tags do not count.
      assert.deepEqual(owners(interfaceObjectSupergraph, 'Book.score'), [
        'reviews',
      ]);
    });
  });

  describe('@override', () => {
    it('gives an overridden field to the overriding graph only', () => {
      assert.deepEqual(owners(interfaceObjectSupergraph, 'Book.isbn'), [
        'library',
      ]);
    });

    it('gives a field under progressive override (label) to both graphs, and the strictest answer holds', () => {
      assert.match(interfaceObjectSupergraph, /overrideLabel: "percent\(25\)"/);
      assert.deepEqual(owners(interfaceObjectSupergraph, 'Book.pages'), [
        'legacy',
        'library',
      ]);
      const input = {
        purpose: 'testing',
        policy: denying(notShared('legacy', ['Book.pages'])),
        ownership: readOwnership(interfaceObjectSupergraph),
        now: NOW,
      };
      const other = decideCoordinate('Book.pages', {
        ...input,
        principal: principal('x'),
      });
      assert.equal(other.decision.effect, 'DENY');
      assert.equal(other.decision.rule, 'negative-list:NL-legacy@1');
      const library = decideCoordinate('Book.pages', {
        ...input,
        principal: principal('library'),
      });
      assert.equal(library.decision.rule, 'own-department');
    });

    it('does not count a graph whose overridden copy is only still used', () => {
      const supergraph = composeSubgraphs([
        {
          name: 'new',
          typeDefs: `${federationLink('@key', '@override')}
            type Query { parcel: Parcel }
            type Parcel @key(fields: "id") { id: ID! zone: String @override(from: "old") }`,
        },
        {
          // old still keys Parcel by its zone: its copy is used, not resolved.
          name: 'old',
          typeDefs: `${federationLink('@key')}
            type Parcel @key(fields: "id zone") { id: ID! zone: String fee: Int }`,
        },
      ]);
      assert.match(supergraph, /zone: String .*usedOverridden: true/);
      assert.deepEqual(owners(supergraph, 'Parcel.zone'), ['new']);
    });
  });

  describe('@shareable', () => {
    it('lists every graph that resolves a shareable field', () => {
      assert.deepEqual(owners(providesSupergraph, 'Item.price'), [
        'catalog',
        'stock',
      ]);
      assert.deepEqual(owners(providesSupergraph, 'Money.amount'), [
        'catalog',
        'stock',
      ]);
    });
  });

  describe('@provides, @external and @requires', () => {
    it('counts the graph that provides an external field on a path, and not one that only marks it external', () => {
      assert.deepEqual(owners(providesSupergraph, 'Item.name'), [
        'catalog',
        'stock',
      ]);
      // stock marks weight @external only to require it: not an owner.
      assert.deepEqual(owners(providesSupergraph, 'Item.weight'), ['catalog']);
    });

    it('gives a @requires field to the graph that computes it', () => {
      assert.deepEqual(owners(providesSupergraph, 'Item.shipping'), ['stock']);
    });

    it('decides a provided field for both graphs: the authoritative owner’s denial holds on the providing path too', () => {
      const plan = govern(
        providesSupergraph,
        `{ lowStock { id name onHand } item(id: "1") { name } }`,
        principal('x'),
        denying(notShared('catalog', ['Item.name'])),
      );
      assert.deepEqual(
        plan.withheld.map((w) => [w.path.join('.'), w.rule]).sort(),
        [
          ['item', 'negative-list:NL-catalog@1'],
          ['item.name', 'negative-list:NL-catalog@1'],
          ['lowStock.name', 'negative-list:NL-catalog@1'],
        ],
      );
    });
  });

  describe('entity interfaces (@key on an interface)', () => {
    it('gives interface and implementation fields to the graph that declares them, and keys to every graph', () => {
      assert.deepEqual(owners(interfaceObjectSupergraph, 'Media.title'), [
        'library',
      ]);
      assert.deepEqual(owners(interfaceObjectSupergraph, 'Film.minutes'), [
        'library',
      ]);
      assert.deepEqual(owners(interfaceObjectSupergraph, 'Media.id'), [
        'library',
        'reviews',
      ]);
    });
  });

  describe('@inaccessible', () => {
    it('marks inaccessible fields, which the API schema leaves out and governance withholds if reached', () => {
      const ownership = readOwnership(providesSupergraph);
      assert.equal(ownership.get('Query.internalNote')?.inaccessible, true);
      assert.equal(ownership.get('Item.cost')?.inaccessible, true);
      assert.equal(ownership.get('Item.weight')?.inaccessible, false);
      const api = apiSchemaOf(providesSupergraph);
      assert.equal(api.getQueryType()?.getFields()['internalNote'], undefined);
      const { decision } = decideCoordinate('Item.cost', {
        principal: principal('catalog'),
        purpose: 'testing',
        policy: ALLOW_ALL,
        ownership,
        now: NOW,
      });
      assert.equal(decision.effect, 'DENY');
      assert.equal(decision.rule, INACCESSIBLE_FIELD_RULE);
    });
  });

  describe('@context and @fromContext', () => {
    it('gives a field with a context argument to its graph, and the API schema hides the argument', () => {
      assert.match(contextSupergraph, /contextArguments/);
      assert.deepEqual(owners(contextSupergraph, 'Grid.label'), ['city']);
      assert.deepEqual(owners(contextSupergraph, 'Grid.residents'), ['people']);
      const plan = govern(
        contextSupergraph,
        `{ district(code: "500103") { name grid { label residents } } }`,
        principal('x'),
        denying(notShared('people', ['Grid.residents'])),
        // @apollo/gateway refuses context/v0.1; the Rust router serves it.
        { router: true },
      );
      assert.deepEqual(
        plan.withheld.map((w) => w.coordinate),
        ['Grid.residents'],
      );
      assert.match(plan.text, /label/);
    });
  });
});
