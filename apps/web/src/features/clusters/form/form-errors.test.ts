import { describe, expect, it } from 'vitest';
import { fieldKeyForPointer, FORM_ERROR_KEY, issuesToFormErrors, topologyIssues } from './form-errors.ts';
import { blankTopology, emptyNode, type TopologyFormValues } from './form-model.ts';

const values = (): TopologyFormValues => ({
  ...blankTopology(),
  name: 'lab',
  serviceCidr: '10.96.0.0/12',
  nodes: [
    { ...emptyNode('control-plane'), name: 'a', addresses: '10.0.0.1' },
    { ...emptyNode('worker'), name: 'b', addresses: '10.0.0.2, 10.0.0.3' },
  ],
  extraSans: [{ certificate: 'kubernetes', values: 'api.example.com, bad..name' }],
});

describe('fieldKeyForPointer', () => {
  it('maps top-level and renamed fields', () => {
    expect(fieldKeyForPointer('/serviceCidr', values())).toBe('serviceCidr');
    expect(fieldKeyForPointer('/caValidityHours', values())).toBe('caValidity');
    expect(fieldKeyForPointer('/subject/ST', values())).toBe('subject.ST');
    expect(fieldKeyForPointer('/apiServerPort', values())).toBe('apiServerPort');
    expect(fieldKeyForPointer('/kubeconfigClusterName', values())).toBe('kubeconfigClusterName');
  });
  it('maps node fields, list entries and SSH settings', () => {
    expect(fieldKeyForPointer('/nodes/1/name', values())).toBe('nodes.1.name');
    expect(fieldKeyForPointer('/nodes/1/addresses/1', values())).toBe('nodes.1.addresses');
    expect(fieldKeyForPointer('/nodes/0/ssh/port', values())).toBe('nodes.0.sshPort');
    expect(fieldKeyForPointer('/nodes/0', values())).toBe('nodes.0.name');
  });
  it('maps extra SANs by certificate name to their row', () => {
    expect(fieldKeyForPointer('/extraSans/kubernetes/1', values())).toBe('extraSans.0.values');
    expect(fieldKeyForPointer('/extraSans/etcd/0', values())).toBe('extraSans');
  });
  it('falls back to the section or the form', () => {
    expect(fieldKeyForPointer('/nodes', values())).toBe('nodes');
    expect(fieldKeyForPointer('/nodes/7/name', values())).toBe('nodes');
    expect(fieldKeyForPointer('', values())).toBe(FORM_ERROR_KEY);
    expect(fieldKeyForPointer('/unknown', values())).toBe(FORM_ERROR_KEY);
  });
});

describe('issuesToFormErrors', () => {
  it('names the list entry at fault and joins messages per field', () => {
    const errors = issuesToFormErrors(
      [
        { path: '/nodes/1/addresses/1', message: 'not an IP address' },
        { path: '/nodes/1/name', message: 'duplicate node name' },
        { path: '/nodes/1/name', message: 'not a DNS label' },
        { path: '/extraSans/kubernetes/1', message: 'not a DNS name' },
      ],
      values(),
    );
    expect(errors).toEqual({
      'nodes.1.addresses': '10.0.0.3: not an IP address',
      'nodes.1.name': 'duplicate node name; not a DNS label',
      'extraSans.0.values': 'bad..name: not a DNS name',
    });
  });
});

describe('topologyIssues (the shared checkCluster, as the server runs it)', () => {
  it('accepts a valid topology', () => {
    const v = values();
    v.extraSans = [{ certificate: 'kubernetes', values: 'api.example.com' }];
    expect(topologyIssues(v)).toEqual([]);
  });
  it('applies the rules beyond the schema (validateCluster) with their codes', () => {
    const v = values();
    v.nodes[1].addresses = '10.0.0.2, 10.0.0.1';
    expect(topologyIssues(v).map((i) => [i.path, i.code])).toEqual([
      ['/nodes/1/addresses/1', 'DUPLICATE_ADDRESS'],
      ['/extraSans/kubernetes/1', 'INVALID_SAN'],
    ]);
  });
  it('flags empty required fields and bad numbers at their pointers', () => {
    const v = values();
    v.name = '';
    v.nodes[1].addresses = '';
    v.caValidity = '';
    v.nodes[0].sshPort = 70000;
    const paths = topologyIssues(v).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['/name', '/nodes/1/addresses', '/caValidityHours', '/nodes/0/ssh/port']));
  });
});
