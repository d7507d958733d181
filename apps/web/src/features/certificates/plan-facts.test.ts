/** What a certificate's page reads of the plan, computed from the topology, is the plan's (what GET .../plan answers). */
import { describe, expect, it } from 'vitest';
import { buildPlan, hardWayPreset, holdsCaKey, type ClusterInput } from '@kpki/shared';
import { planFactsOf } from './plan-facts.ts';

const fromPlan = (t: ClusterInput, name: string) => {
  const { files, certificates } = buildPlan(t);
  return { caKeyNodes: Object.keys(files).filter((n) => holdsCaKey(files[n])), kind: certificates.find((c) => c.name === name)?.kind ?? null };
};

describe('planFactsOf', () => {
  it('the preset: the control-plane nodes hold the CA key; each certificate has its kind, as the plan says', () => {
    const preset = hardWayPreset();
    for (const name of ['ca', 'kubernetes', 'worker1', 'kube-proxy', 'admin', 'gone']) expect(planFactsOf(preset, name), name).toEqual(fromPlan(preset, name));
    expect(planFactsOf(preset, 'kubernetes')!.caKeyNodes).toEqual(preset.nodes.filter((n) => n.role === 'control-plane').map((n) => n.name));
    expect(planFactsOf(preset, 'worker1')!.kind).toBe('kubelet');
    expect(planFactsOf(preset, 'gone')!.kind).toBeNull();
  });

  it('three control-plane nodes and 200 workers: the three, as the plan says', () => {
    const preset = hardWayPreset();
    const big: ClusterInput = {
      ...preset,
      nodes: [
        ...[1, 2, 3].map((i) => ({ name: `cp${i}`, role: 'control-plane' as const, addresses: [`10.100.0.${10 + i}`] })),
        ...Array.from({ length: 200 }, (_, i) => ({ name: `w${i}`, role: 'worker' as const, addresses: [`10.200.0.${i + 1}`] })),
      ],
    };
    expect(planFactsOf(big, 'w7')).toEqual(fromPlan(big, 'w7'));
    expect(planFactsOf(big, 'w7')!.caKeyNodes).toEqual(['cp1', 'cp2', 'cp3']);
  });

  it('a topology the plan cannot be built from: null (every bundle treated as holding the CA key)', () => {
    expect(planFactsOf({ ...hardWayPreset(), serviceCidr: '10.32.0.0/32' }, 'kubernetes')).toBeNull();
  });
});
