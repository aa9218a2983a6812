// The governance property run at one seed for `npm test`: split over three
// files (governance.property.test.ts, governanceSecondSeed.property.test.ts
// and governanceThirdSeed.property.test.ts) so that each stays under 30 s in
// the full run and they run side by side.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { checkAdministration } from './governanceProperty.js';
import { startPropertyWorld, type PropertyWorld } from './propertyWorld.js';

/** Starts the property's world before the file's tests and stops it after. */
export function usePropertyWorld(): () => PropertyWorld {
  let world: PropertyWorld | undefined;
  before(async () => {
    world = await startPropertyWorld();
  });
  after(async () => {
    await world?.[Symbol.asyncDispose]();
  });
  return () => {
    assert.ok(world, 'the property world has started');
    return world;
  };
}

/**
 * The property over `runs` generated cases of `seed` through the real
 * gateway, with the command that replays a shrunk failure.
 */
export function describePropertyRun(
  world: () => PropertyWorld,
  seed: number,
  runs: number,
): void {
  describe(`the governance guarantee, by property (seed ${String(seed)})`, () => {
    it('has ground truth for every coordinate the policy withholds or masks', () => {
      assert.deepEqual(world().oracleGaps, []);
    });

    it('holds for generated operations, variables, principals and interleavings', async () => {
      const details = await checkAdministration(world(), {
        seed,
        numRuns: runs,
      });
      if (details.failed) {
        const error = details.errorInstance;
        assert.fail(
          `${error instanceof Error ? error.message : String(error)}\n\nReplay: npm run fuzz:governance -- --seed ${String(details.seed)} --path ${details.counterexamplePath ?? ''}`,
        );
      }
      assert.equal(details.numRuns, runs);
    });
  });
}
