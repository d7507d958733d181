/**
 * Who talks to whom as the tutorial's table and as a grid. Pure.
 * The plan has one edge per worker for kubelets ("kubelet (w1)", "kubelet (w2)"); the
 * tutorial shows them as one row "kubelet (<w>)", so edges of the same component to the
 * same server are grouped into one row naming every certificate.
 */
import type { MatrixEdge } from '@kpki/shared';

export interface MatrixRow {
  client: string;
  server: string;
  certificates: string[];
}

export interface MatrixGrid {
  clients: string[];
  servers: string[];
  /** cells[client][server] = certificate names presented on that edge */
  cells: Record<string, Record<string, string[]>>;
}

const PARAM = /^(.*) \((.*)\)$/;

/** "kubelet (worker1)" -> ["kubelet", "worker1"]; "etcd peer" -> ["etcd peer", null] */
function splitClient(client: string): [string, string | null] {
  const m = PARAM.exec(client);
  return m ? [m[1], m[2]] : [client, null];
}

export function groupEdges(edges: MatrixEdge[]): MatrixRow[] {
  const groups = new Map<string, MatrixEdge[]>();
  for (const e of edges) {
    const key = `${splitClient(e.client)[0]}\u0000${e.server}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const rows: MatrixRow[] = [];
  for (const group of groups.values()) {
    const certificates = [...new Set(group.map((e) => e.certificate))];
    const clients = [...new Set(group.map((e) => e.client))];
    if (clients.length === 1) {
      rows.push({ client: clients[0], server: group[0].server, certificates });
      continue;
    }
    const [base] = splitClient(clients[0]);
    const params = clients.map((c) => splitClient(c)[1]).filter((p): p is string => p !== null);
    rows.push({ client: params.length ? `${base} (${params.join(', ')})` : base, server: group[0].server, certificates });
  }
  return rows;
}

export function toMatrixGrid(edges: MatrixEdge[]): MatrixGrid {
  const clients: string[] = [];
  const servers: string[] = [];
  const cells: MatrixGrid['cells'] = {};
  for (const row of groupEdges(edges)) {
    if (!clients.includes(row.client)) clients.push(row.client);
    if (!servers.includes(row.server)) servers.push(row.server);
    const cell = ((cells[row.client] ??= {})[row.server] ??= []);
    for (const c of row.certificates) if (!cell.includes(c)) cell.push(c);
  }
  return { clients, servers, cells };
}
