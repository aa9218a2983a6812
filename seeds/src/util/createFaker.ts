import { base, Faker, zh_CN } from '@faker-js/faker';

/**
 * A Faker of its own with the zh_CN locale, seeded: never the global
 * instance, whose state other code could move.
 *
 * @see {@link https://fakerjs.dev/guide/usage.html#reproducible-results}
 */
export function createFaker(seed: number): Faker {
  const faker = new Faker({ locale: [zh_CN, base] });
  faker.seed(seed);
  return faker;
}
