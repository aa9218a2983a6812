// The heavy workload of `npm run bench:gateway`: four small Federation 2
// subgraphs shaped like the public gateway benchmarks' (accounts, products,
// inventory, reviews — entities resolved across all four, nested entity
// lists), over deterministic data held in memory, and the one query that
// walks them: 16 subgraph calls and about 88 KB of JSON per answer. No
// database: what is measured is the gateway.
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, type GraphQLSchema } from 'graphql';

/** Users, products and the reviews that link them. */
const USERS = 10;
const PRODUCTS = 9;
/** Reviews each user wrote. */
const REVIEWS_PER_USER = 3;

interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}
interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
interface Review {
  id: string;
  body: string;
  authorId: string;
  upc: string;
}

const users: User[] = Array.from({ length: USERS }, (_, i) => ({
  id: `u${String(i + 1)}`,
  name: `User Number ${String(i + 1)}`,
  username: `user_${String(i + 1)}`,
  birthday: 1_000_000 + i * 86_400,
}));
const products: Product[] = Array.from({ length: PRODUCTS }, (_, i) => ({
  upc: `${String(1000 + i)}`,
  name: `Product ${String.fromCharCode(65 + i)}`,
  price: 100 + i * 37,
  weight: 10 + i * 3,
}));
const reviews: Review[] = users.flatMap((user, u) =>
  Array.from({ length: REVIEWS_PER_USER }, (_, r) => ({
    id: `r${String(u * REVIEWS_PER_USER + r + 1)}`,
    body: `Review ${String(r + 1)} by ${user.username}: a fair product for the price.`,
    authorId: user.id,
    upc: products[(u * REVIEWS_PER_USER + r) % PRODUCTS]?.upc ?? '',
  })),
);

const byId = <T, K extends keyof T>(items: T[], key: K): Map<T[K], T> =>
  new Map(items.map((item) => [item[key], item]));
const userById = byId(users, 'id');
const productByUpc = byId(products, 'upc');
const reviewById = byId(reviews, 'id');
const group = (key: 'authorId' | 'upc'): Map<string, Review[]> => {
  const map = new Map<string, Review[]>();
  for (const review of reviews) {
    const list = map.get(review[key]) ?? [];
    list.push(review);
    map.set(review[key], list);
  }
  return map;
};
const reviewsByAuthor = group('authorId');
const reviewsByProduct = group('upc');

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])`;

/** One subgraph of the heavy workload. */
export interface HeavySubgraph {
  name: 'accounts' | 'products' | 'inventory' | 'reviews';
  typeDefs: string;
  resolvers: GraphQLResolverMap<unknown>;
}

/** The four subgraphs. */
export const HEAVY_SUBGRAPHS: readonly HeavySubgraph[] = [
  {
    name: 'accounts',
    typeDefs: `${LINK}
type Query { users: [User!]! user(id: ID!): User }
type User @key(fields: "id") { id: ID! name: String! username: String! birthday: Int! }`,
    resolvers: {
      Query: {
        users: () => users,
        user: (_: unknown, args: { id: string }) => userById.get(args.id),
      },
      User: {
        __resolveReference: (ref: { id: string }) => userById.get(ref.id),
      },
    },
  },
  {
    name: 'products',
    typeDefs: `${LINK}
type Query { topProducts(first: Int = 5): [Product!]! }
type Product @key(fields: "upc") { upc: String! name: String! price: Int! weight: Int! }`,
    resolvers: {
      Query: {
        topProducts: (_: unknown, args: { first: number }) =>
          products.slice(0, args.first),
      },
      Product: {
        __resolveReference: (ref: { upc: string }) => productByUpc.get(ref.upc),
      },
    },
  },
  {
    name: 'inventory',
    typeDefs: `${LINK}
type Product @key(fields: "upc") { upc: String! inStock: Boolean! shippingEstimate: Int! }`,
    resolvers: {
      Product: {
        __resolveReference: (ref: { upc: string }) => {
          const product = productByUpc.get(ref.upc);
          return product
            ? {
                upc: product.upc,
                inStock: Number(product.upc) % 3 !== 0,
                shippingEstimate: Math.round(product.weight * 0.5),
              }
            : null;
        },
      },
    },
  },
  {
    name: 'reviews',
    typeDefs: `${LINK}
type Review @key(fields: "id") { id: ID! body: String! author: User! product: Product! }
type User @key(fields: "id") { id: ID! reviews: [Review!]! }
type Product @key(fields: "upc") { upc: String! reviews: [Review!]! }`,
    resolvers: {
      Review: {
        __resolveReference: (ref: { id: string }) => reviewById.get(ref.id),
        author: (review: Review) => ({ id: review.authorId }),
        product: (review: Review) => ({ upc: review.upc }),
      },
      User: {
        __resolveReference: (ref: { id: string }) => ref,
        reviews: (user: { id: string }) => reviewsByAuthor.get(user.id) ?? [],
      },
      Product: {
        __resolveReference: (ref: { upc: string }) => ref,
        reviews: (product: { upc: string }) =>
          reviewsByProduct.get(product.upc) ?? [],
      },
    },
  },
];

/** The executable schema of one heavy subgraph. */
export function heavySchema(subgraph: HeavySubgraph): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(subgraph.typeDefs),
    resolvers: subgraph.resolvers,
  });
}

/** The supergraph of the four, with the URLs given. */
export function heavySupergraph(
  urls: Readonly<Record<string, string>>,
): string {
  const result = composeServices(
    HEAVY_SUBGRAPHS.map((s) => ({
      name: s.name,
      url: urls[s.name] ?? `http://127.0.0.1/${s.name}`,
      typeDefs: parse(s.typeDefs),
    })),
  );
  if (result.errors) {
    throw new Error(
      `the heavy subgraphs do not compose: ${result.errors.map((e) => e.message).join('; ')}`,
    );
  }
  return result.supergraphSdl;
}

/** The heavy query: nested entity lists through all four subgraphs. */
export const HEAVY_QUERY = `fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery {
  users { ...User reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } } }
  topProducts { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } }
}`;
