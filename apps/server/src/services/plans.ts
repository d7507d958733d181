/**
 * The plan of a topology, built once per topology: buildPlan is pure (the same ClusterInput gives
 * the same plan), and a 1,000-node plan costs tens of milliseconds, which every read of node
 * states, links, expiry and CA rotation paid again. Memoised by the topology's whole content
 * (its JSON: any change of a node, an address, a setting or an SSH field is another key), so a
 * changed topology is never answered with the plan of an earlier one. The plan handed out is
 * frozen: a caller that tried to change it would throw instead of corrupting the next reader's.
 */
import type { ClusterInput, Plan } from '@kpki/shared';
import { buildPlan } from '@kpki/shared/build-plan';

/** topologies kept (most recently used last): a few clusters read in turn stay built */
const LIMIT = 8;
const plans = new Map<string, Plan>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The plan of `input` (buildPlan), built once per distinct topology; frozen. @throws as buildPlan */
export function planOf(input: ClusterInput): Plan {
  const key = JSON.stringify(input);
  let plan = plans.get(key);
  if (plan) plans.delete(key); // re-inserted below: most recently used last
  else plan = deepFreeze(buildPlan(input));
  plans.set(key, plan);
  if (plans.size > LIMIT) plans.delete(plans.keys().next().value!);
  return plan;
}
