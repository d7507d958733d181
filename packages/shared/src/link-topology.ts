/**
 * The concrete links of a topology: for each row of who-talks-to-whom (matrix.ts), every client
 * on every node that runs it, dialing every server it reaches, at the address it dials, with the
 * files each side uses and the identity the server must derive. Pure; linear in the number of
 * links (control-plane nodes x workers).
 *
 * Addresses: clients outside the control plane (kubelet, kube-proxy) dial the API servers at the
 * first address of the first load-balancer node, one link per control-plane node behind it;
 * without a load balancer they dial the first control-plane node's first address (issue 11's
 * kubeconfig rule). Controller-manager, scheduler and admin dial 127.0.0.1 on their own node.
 * The API server dials etcd at each control-plane node's first address and each kubelet at its
 * worker's first address; etcd peers dial each other's first address.
 */
import type { ClusterInput } from './api/cluster.ts';
import { LOCALHOST_IP, nodesWithRole } from './catalog.ts';

/** The components' ports; the API servers' is the cluster's apiServerPort when set (this is its default). */
export const PORTS = { apiServer: 6443, etcdClient: 2379, etcdPeer: 2380, kubelet: 10250 } as const;

/** Which files one side of a link uses. */
export interface LinkEnd {
  /** node holding the files; null: the operator's copy, i.e. what kpki issued */
  filesOn: string | null;
  cert: string;
  key: string;
  /** the CA file this side trusts */
  ca: string;
  /** the component, as it would log ("kubelet on worker1") */
  who: string;
}

/** The identity the server must derive from the client certificate. */
export type IdentityRule =
  | { kind: 'node'; node: string }
  | { kind: 'user'; user: string; denied: string }
  | { kind: 'group'; group: string };

/** One link before it is checked. */
export interface LinkSpec {
  id: string;
  row: number;
  client: string;
  clientNode: string | null;
  server: string;
  serverNode: string;
  address: string;
  port: number;
  certificate: string;
  clientEnd: LinkEnd;
  serverEnd: LinkEnd;
  identity: IdentityRule | null;
  needs: string[];
  /**
   * etcd peers only: the address the client connects from. etcd checks that the peer's client
   * certificate names it (an IP SAN), or has a DNS name resolving to it.
   */
  sourceAddress?: string;
}

const pair = (name: string) => ({ cert: `${name}.pem`, key: `${name}-key.pem`, ca: 'ca.pem' });

/**
 * The address clients outside the control plane dial for the API server, and the control-plane
 * nodes that answer there: the first load balancer's first address (every control-plane node
 * behind it), else the first control-plane node's first address (that node only).
 */
export function apiServerEndpoint(cluster: ClusterInput): { address: string; behind: string[] } | null {
  const cps = nodesWithRole(cluster, 'control-plane');
  const lb = nodesWithRole(cluster, 'load-balancer')[0];
  if (lb) return { address: lb.addresses[0], behind: cps.map((n) => n.name) };
  return cps[0] ? { address: cps[0].addresses[0], behind: [cps[0].name] } : null;
}

/** Every link of `cluster`, grouped by matrix row (admin, API server to etcd, to kubelets, ...). */
export function buildLinks(cluster: ClusterInput): LinkSpec[] {
  return [...linksOf(cluster)];
}

/** A link with its stable id, e.g. "kubelet@worker1>kube-apiserver@cp1". */
const withId = (l: Omit<LinkSpec, 'id'>): LinkSpec =>
  ({ id: `${l.client.replace(/ \(.*\)$/, '')}@${l.clientNode ?? 'operator'}>${l.server}@${l.serverNode}`, ...l });

/**
 * The links of buildLinks one at a time, in the same order: a server walking a 500-worker
 * cluster can pause between two links.
 */
export function* linksOf(cluster: ClusterInput): Generator<LinkSpec> {
  const cps = nodesWithRole(cluster, 'control-plane');
  const workers = nodesWithRole(cluster, 'worker');
  const api = apiServerEndpoint(cluster);
  const apiPort = cluster.apiServerPort ?? PORTS.apiServer;
  const apiServer = (cp: string) => ({ filesOn: cp, ...pair('kubernetes'), who: `kube-apiserver on ${cp}` });

  // 0: kubectl (admin) on each control-plane node, with the operator's admin files
  for (const cp of cps) {
    yield withId({
      row: 0, client: 'kubectl (admin)', clientNode: cp.name, server: 'kube-apiserver', serverNode: cp.name,
      address: LOCALHOST_IP, port: apiPort, certificate: 'admin',
      clientEnd: { filesOn: null, ...pair('admin'), who: `kubectl (admin) on ${cp.name}` }, serverEnd: apiServer(cp.name),
      identity: { kind: 'group', group: 'system:masters' }, needs: [],
    });
  }
  // 1: the API server to etcd on every control-plane node
  for (const from of cps) {
    for (const to of cps) {
      yield withId({
        row: 1, client: 'kube-apiserver', clientNode: from.name, server: 'etcd', serverNode: to.name,
        address: to.addresses[0], port: PORTS.etcdClient, certificate: 'kubernetes',
        clientEnd: apiServer(from.name), serverEnd: { filesOn: to.name, ...pair('etcd'), who: `etcd on ${to.name}` },
        identity: null, needs: [],
      });
    }
  }
  // 2: the API server to every kubelet
  for (const cp of cps) {
    for (const w of workers) {
      yield withId({
        row: 2, client: 'kube-apiserver', clientNode: cp.name, server: 'kubelet', serverNode: w.name,
        address: w.addresses[0], port: PORTS.kubelet, certificate: 'kubernetes',
        clientEnd: apiServer(cp.name), serverEnd: { filesOn: w.name, ...pair(w.name), who: `kubelet on ${w.name}` },
        identity: null,
        needs: ['RBAC: user "kubernetes" (CN of kubernetes.pem) needs a binding to system:kubelet-api-admin to reach kubelets (logs, exec)'],
      });
    }
  }
  // 3, 4: kubelet and kube-proxy on every worker, through the load balancer to every API server behind it
  for (const w of workers) {
    for (const cp of api?.behind ?? []) {
      yield withId({
        row: 3, client: `kubelet (${w.name})`, clientNode: w.name, server: 'kube-apiserver', serverNode: cp,
        address: api!.address, port: apiPort, certificate: w.name,
        clientEnd: { filesOn: w.name, ...pair(w.name), who: `kubelet on ${w.name}` }, serverEnd: apiServer(cp),
        identity: { kind: 'node', node: w.name }, needs: [],
      });
    }
  }
  for (const w of workers) {
    for (const cp of api?.behind ?? []) {
      yield withId({
        row: 4, client: 'kube-proxy', clientNode: w.name, server: 'kube-apiserver', serverNode: cp,
        address: api!.address, port: apiPort, certificate: 'kube-proxy',
        clientEnd: { filesOn: w.name, ...pair('kube-proxy'), who: `kube-proxy on ${w.name}` }, serverEnd: apiServer(cp),
        identity: { kind: 'user', user: 'system:kube-proxy', denied: 'endpointslices.discovery.k8s.io is forbidden: User %s cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope' },
        needs: [],
      });
    }
  }
  // 5, 6: scheduler and controller-manager on each control-plane node, to the API server there
  const local = [
    { row: 5, client: 'kube-scheduler', user: 'system:kube-scheduler' },
    { row: 6, client: 'kube-controller-manager', user: 'system:kube-controller-manager' },
  ];
  for (const { row, client, user } of local) {
    for (const cp of cps) {
      yield withId({
        row, client, clientNode: cp.name, server: 'kube-apiserver', serverNode: cp.name,
        address: LOCALHOST_IP, port: apiPort, certificate: client,
        clientEnd: { filesOn: cp.name, ...pair(client), who: `${client} on ${cp.name}` }, serverEnd: apiServer(cp.name),
        identity: {
          kind: 'user', user,
          denied: `leases.coordination.k8s.io "${client}" is forbidden: User %s cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "kube-system"`,
        },
        needs: [],
      });
    }
  }
  // 7: etcd peers, each member to every other
  for (const from of cps) {
    for (const to of cps) {
      if (from === to) continue;
      yield withId({
        row: 7, client: 'etcd peer', clientNode: from.name, server: 'etcd peer', serverNode: to.name,
        address: to.addresses[0], port: PORTS.etcdPeer, certificate: 'etcd',
        clientEnd: { filesOn: from.name, ...pair('etcd'), who: `etcd on ${from.name}` },
        serverEnd: { filesOn: to.name, ...pair('etcd'), who: `etcd on ${to.name}` },
        identity: null, needs: [], sourceAddress: from.addresses[0],
      });
    }
  }
}
