import type {
  AlgorithmState,
  PolicySet,
  Principal as PolicyPrincipal,
  RequestPrincipal,
} from '../../../policies/src/index.js';
import { GatewayError } from './GatewayError.js';

/** An algorithm filing as the gateway needs it. */
export interface FilingBinding {
  readonly filingId: string;
  readonly state: AlgorithmState;
  readonly inputs: readonly string[];
}

/**
 * The policy in force in a gateway: one consistent negative list, grants,
 * roles and algorithm filings, as the policy store last loaded them.
 */
export interface PolicyInForce {
  readonly policy: PolicySet;
  readonly algorithms: ReadonlyMap<string, FilingBinding>;
}

/** Where the gateway takes its policy in force from (see policies/store/src/policy). */
export interface PolicySource {
  current(): PolicyInForce;
  /**
   * Loads the policy now, seeing every write committed before the call
   * (a policy store). Without it, a mutation that writes the policy
   * answers with the current version.
   */
  refresh?(): Promise<PolicyInForce>;
}

/**
 * The policy engine's principal for an authenticated caller; for an
 * algorithm identity, with its filing as the registry holds it now. An
 * algorithm whose filing the registry does not know reads nothing.
 */
export function policyPrincipalOf(
  identity: RequestPrincipal,
  inForce: PolicyInForce,
): PolicyPrincipal | GatewayError {
  const base = {
    subject: identity.subject,
    department: identity.department,
    roles: identity.roles,
    level: identity.level,
    regionCode: identity.regionCode,
    purposes: identity.purposes,
  };
  if (identity.filingId === undefined) return base;
  const filing = inForce.algorithms.get(identity.filingId);
  if (filing === undefined) {
    return GatewayError.filingNotInRegistry(identity.filingId);
  }
  return {
    ...base,
    algorithm: {
      filingId: filing.filingId,
      state: filing.state,
      inputs: filing.inputs,
    },
  };
}
