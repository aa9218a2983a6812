import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  checkAdministration,
  defineAdministrationAbility,
  type AdministrationActor,
} from '../../../../policies/src/index.js';

const authority: AdministrationActor = {
  subject: 'city-data-authority',
  department: 'bigdata',
  roles: ['city-data-authority'],
};
const others: AdministrationActor[] = [
  {
    subject: 'market-data-officer',
    department: 'market',
    roles: ['data-officer'],
  },
  { subject: 'env-analyst', department: 'environment', roles: ['analyst'] },
  // An algorithm identity administers nothing: actorOf gives it no roles.
  { subject: 'algo-ruxi-oil', department: 'environment', roles: [] },
];

describe('defineAdministrationAbility: bearer tokens', () => {
  it('lets the city data authority revoke tokens and read the revocations', () => {
    const ability = defineAdministrationAbility(authority);
    for (const action of ['revoke', 'read'] as const) {
      assert.deepEqual(
        checkAdministration(ability, action, 'BearerToken', {}, authority),
        { allowed: true },
      );
    }
  });

  it('refuses everyone else with the rule and its reason', () => {
    for (const actor of others) {
      const ability = defineAdministrationAbility(actor);
      for (const action of ['revoke', 'read'] as const) {
        const verdict = checkAdministration(
          ability,
          action,
          'BearerToken',
          {},
          actor,
        );
        assert.deepEqual(verdict, {
          allowed: false,
          rule: 'governance:token-revocation',
          reason:
            'Only the city data authority revokes bearer tokens and reads their revocations.',
        });
      }
    }
  });
});
