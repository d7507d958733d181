/** Topologies of the benchmarks (addresses are data only: nothing ever dials them). */
import type { ClusterInput, KeyAlgorithm } from '../../packages/shared/src/index.ts';
import { hardWayPreset } from '../../packages/shared/src/index.ts';

/** 3 control-plane nodes and `workers` workers (no load balancer), addresses as data only. */
export function bigTopology(workers: number, keyAlgorithm: KeyAlgorithm, name = 'bench-big'): ClusterInput {
  const preset = hardWayPreset();
  return {
    ...preset, name, keyAlgorithm,
    nodes: [
      ...[1, 2, 3].map((i) => ({ name: `cp${i}`, role: 'control-plane' as const, addresses: [`10.100.0.${10 + i}`] })),
      ...Array.from({ length: workers }, (_, i) => ({
        name: `worker${i + 1}`, role: 'worker' as const, addresses: [`10.200.${Math.floor(i / 250)}.${(i % 250) + 1}`],
      })),
    ],
  };
}
