import { expect, test } from 'vitest';
import { buildPlan } from './build-plan.ts';
import { hardWayPreset } from './preset.ts';
import { generated } from './test-topologies.ts';

test('the preset plan: 10 certificates, 9 concrete edges, 7 kubeconfigs, the encryption config, files for all 5 nodes, plain JSON', () => {
  const plan = buildPlan(hardWayPreset());
  expect(plan.certificates).toHaveLength(10);
  expect(plan.matrix).toHaveLength(9);
  expect(plan.kubeconfigs).toHaveLength(7);
  expect(plan.encryptionConfig?.recipients).toEqual(['cp1', 'cp2']);
  expect(Object.keys(plan.files)).toEqual(['cp1', 'cp2', 'lb', 'worker1', 'worker2']);
  expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
});

test('every certificate of the matrix and of the files exists in the catalog', () => {
  const plan = buildPlan(generated({ controlPlanes: 3, workers: 4, loadBalancers: 1 }));
  const names = new Set(plan.certificates.map((c) => c.name));
  expect(names.size).toBe(plan.certificates.length);
  for (const edge of plan.matrix) expect(names.has(edge.certificate)).toBe(true);
  for (const file of Object.values(plan.files).flat()) {
    if (file.part === 'encryption-config') expect(file.certificate).toBeNull();
    else expect(names.has(file.certificate!)).toBe(true);
  }
  for (const k of plan.kubeconfigs) for (const c of k.embeds) expect(names.has(c)).toBe(true);
});

test('every recipient of a kubeconfig holds its file, and no node holds a kubeconfig it is not a recipient of', () => {
  const plan = buildPlan(generated({ controlPlanes: 2, workers: 3, loadBalancers: 1 }));
  for (const k of plan.kubeconfigs) {
    const holders = Object.entries(plan.files).filter(([, files]) => files.some((f) => f.kubeconfig === k.name)).map(([n]) => n);
    expect(holders, k.name).toEqual(k.recipients);
  }
});

test('every recipient of a certificate holds its .pem, and no node holds a .pem it is not a recipient of', () => {
  const plan = buildPlan(generated({ controlPlanes: 2, workers: 3, loadBalancers: 1 }));
  for (const c of plan.certificates) {
    const holders = Object.entries(plan.files).filter(([, files]) => files.some((f) => f.file === `${c.name}.pem`)).map(([n]) => n);
    expect(holders).toEqual(c.recipients);
  }
});

test('3 control-plane nodes and 500 workers: the whole plan (its time is measured by npm run bench)', () => {
  const cluster = generated({ controlPlanes: 3, workers: 500 });
  const plan = buildPlan(cluster);
  expect(plan.certificates).toHaveLength(508);
  expect(plan.matrix).toHaveLength(507);
  expect(Object.values(plan.files).flat()).toHaveLength(3 * 16 + 500 * 7);
});
