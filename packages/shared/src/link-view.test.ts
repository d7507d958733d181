import { describe, expect, test } from 'vitest';
import type { LinkEdge, LinkReason } from './api/links.ts';
import { linkMatcher, narrowsLinks, reasonLine } from './link-view.ts';

const reason: LinkReason = { code: 'bad-file', message: 'tls: failed to find any PEM data in certificate input', side: 'client', node: 'worker1', file: 'worker1.pem', detail: '' };
const edge = (id: string, over: Partial<LinkEdge> = {}): LinkEdge => ({
  id, row: 3, client: 'kubelet (worker1)', clientNode: 'worker1', server: 'kube-apiserver', serverNode: 'cp1', address: '192.168.56.20',
  port: 6443, certificate: 'worker1', verdict: 'ok', reasons: [], needs: [], ...over,
});
const edges = [
  edge('a'),
  edge('b', { verdict: 'fails', reasons: [reason] }),
  edge('c', { row: 1, client: 'kube-apiserver', clientNode: 'cp1', server: 'etcd', serverNode: 'cp2', address: '192.168.56.22', port: 2379, certificate: 'kubernetes' }),
];
const ids = (q: Parameters<typeof linkMatcher>[0]) => edges.filter(linkMatcher(q)).map((e) => e.id);

describe('the part of the links a page asks for', () => {
  test('failing only, a text (any case, reasons and address:port included), a node as client or server', () => {
    expect(ids({})).toEqual(['a', 'b', 'c']);
    expect(ids({ failing: true })).toEqual(['b']);
    expect(ids({ q: ' ETCD ' })).toEqual(['c']);
    expect(ids({ q: 'pem data' })).toEqual(['b']);
    expect(ids({ q: '192.168.56.22:2379' })).toEqual(['c']);
    expect(ids({ node: 'cp2' })).toEqual(['c']);
    expect(ids({ node: 'cp1' })).toEqual(['a', 'b', 'c']);
    expect(ids({ node: 'cp1', failing: true, q: 'worker1' })).toEqual(['b']);
    expect([narrowsLinks({}), narrowsLinks({ q: '  ' }), narrowsLinks({ failing: true }), narrowsLinks({ node: 'x' })]).toEqual([false, false, true, true]);
  });

  test('a reason on one line: whose file, then what the component logs', () => {
    expect(reasonLine(reason)).toBe('worker1 · worker1.pem: tls: failed to find any PEM data in certificate input');
    expect(reasonLine({ ...reason, node: null })).toBe("operator's copy · worker1.pem: tls: failed to find any PEM data in certificate input");
    expect(reasonLine({ ...reason, node: null, file: null })).toBe('tls: failed to find any PEM data in certificate input');
  });
});
