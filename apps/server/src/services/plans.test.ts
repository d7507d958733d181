import { describe, expect, it } from 'vitest';
import { hardWayPreset, type ClusterInput } from '@kpki/shared';
import { buildPlan } from '@kpki/shared/build-plan';
import { planOf } from './plans.ts';

/** The preset with `workers` more workers (names and addresses as data only). */
function topology(workers: number): ClusterInput {
  const preset = hardWayPreset();
  return {
    ...preset,
    nodes: [...preset.nodes, ...Array.from({ length: workers }, (_, i) => ({ name: `extra${i + 1}`, role: 'worker' as const, addresses: [`10.240.1.${i + 1}`] }))],
  };
}

const sansOf = (plan: ReturnType<typeof buildPlan>, name: string) => plan.certificates.find((c) => c.name === name)?.sans.map((s) => s.value);

describe('planOf: the plan built once per topology', () => {
  it('answers what buildPlan answers, the same plan again for the same topology', () => {
    const input = topology(3);
    const plan = planOf(input);
    expect(plan).toEqual(buildPlan(input));
    expect(planOf(structuredClone(input))).toBe(plan); // same content: built once
  });

  it('a changed topology gets its own plan: an address, a node added, a node removed, a setting, the same object changed in place', () => {
    const input = topology(3);
    const before = planOf(input);
    expect(sansOf(before, 'extra2')).toContain('10.240.1.2');

    const moved = structuredClone(input);
    moved.nodes.find((n) => n.name === 'extra2')!.addresses = ['10.240.9.9'];
    expect(sansOf(planOf(moved), 'extra2')).toEqual(sansOf(buildPlan(moved), 'extra2'));
    expect(sansOf(planOf(moved), 'extra2')).toContain('10.240.9.9');
    expect(sansOf(planOf(moved), 'extra2')).not.toContain('10.240.1.2');

    const added = topology(4);
    expect(Object.keys(planOf(added).files)).toContain('extra4');
    expect(planOf(added)).toEqual(buildPlan(added));

    const removed = { ...input, nodes: input.nodes.filter((n) => n.name !== 'extra3') };
    expect(Object.keys(planOf(removed).files)).not.toContain('extra3');

    const domain = { ...input, clusterDomain: 'example.internal' };
    expect(planOf(domain)).toEqual(buildPlan(domain));
    expect(planOf(domain)).not.toEqual(before);

    // a caller that changes its input object and asks again is answered for what it holds now
    input.nodes.find((n) => n.name === 'extra1')!.addresses = ['10.240.7.7'];
    expect(sansOf(planOf(input), 'extra1')).toContain('10.240.7.7');
    expect(planOf(input)).toEqual(buildPlan(input));
  });

  it('the plan handed out is frozen: changing it throws instead of changing what the next reader gets', () => {
    const plan = planOf(topology(2));
    expect(() => (plan.files.extra1 as unknown[]).push({})).toThrow(TypeError);
    expect(() => { (plan.certificates[0] as { name: string }).name = 'x'; }).toThrow(TypeError);
    expect(planOf(topology(2))).toEqual(buildPlan(topology(2)));
  });

  it('many topologies in turn: each still answered with its own plan', () => {
    const inputs = Array.from({ length: 12 }, (_, i) => topology(i + 1));
    for (const input of [...inputs, ...inputs]) expect(Object.keys(planOf(input).files)).toContain(`extra${input.nodes.length - hardWayPreset().nodes.length}`);
  });
});
