/**
 * Test-only builders of topologies (imported by *.test.ts, never by the library). Generic on
 * purpose: the tutorial's topology comes from hardWayPreset().
 */
import type { ClusterInput, ClusterNode, NodeRole } from './api/cluster.ts';
import { hardWayPreset } from './preset.ts';

/** One node. */
export function node(name: string, role: NodeRole, ...addresses: string[]): ClusterNode {
  return { name, role, addresses };
}

/** The preset with some fields replaced (a fresh copy every call). */
export function withPreset(overrides: Partial<ClusterInput>): ClusterInput {
  return { ...hardWayPreset(), ...overrides };
}

/**
 * `controlPlanes` control-plane nodes cp-0..., `workers` workers w-0..., `loadBalancers`
 * load balancers lb-0..., addresses from 10.0.0.0/8 (or fd00::/64 with `ipv6`).
 */
export function generated(options: { controlPlanes: number; workers: number; loadBalancers?: number; ipv6?: boolean }): ClusterInput {
  let host = 10;
  const address = () => {
    host++;
    return options.ipv6 ? `fd00::${host.toString(16)}` : `10.${(host >> 16) & 255}.${(host >> 8) & 255}.${host & 255}`;
  };
  const make = (prefix: string, role: NodeRole, count: number) =>
    Array.from({ length: count }, (_, i) => node(`${prefix}-${i}`, role, address()));
  return withPreset({
    name: 'generated',
    nodes: [
      ...make('cp', 'control-plane', options.controlPlanes),
      ...make('lb', 'load-balancer', options.loadBalancers ?? 0),
      ...make('w', 'worker', options.workers),
    ],
  });
}
