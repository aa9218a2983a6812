// The decision engine: pure functions over the policy model.
export { decide } from './decide.js';
export { decideAll } from './decideAll.js';
export { policyKey } from './policyKey.js';
export { ruleId } from './ruleId.js';
export { nextPolicyChange } from './nextPolicyChange.js';
