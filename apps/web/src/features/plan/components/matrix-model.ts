/**
 * Who talks to whom as the tutorial's table and as a grid, from the plan's matrixRows. Pure.
 */
import type { MatrixRow as PlanMatrixRow } from '@kpki/shared';

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
  /** rowOf[client][server] = index of the plan's matrix row shown in that cell */
  rowOf: Record<string, Record<string, number>>;
}

/** The plan's rows as shown: the kubelet row names its workers, "kubelet (worker1, worker2)". */
export function displayRows(rows: PlanMatrixRow[]): MatrixRow[] {
  return rows.map((r) => ({
    client: r.perWorker && r.certificates.length ? `${r.client} (${r.certificates.join(', ')})` : r.client,
    server: r.server,
    certificates: r.certificates,
  }));
}

export function toMatrixGrid(rows: PlanMatrixRow[]): MatrixGrid {
  const clients: string[] = [];
  const servers: string[] = [];
  const cells: MatrixGrid['cells'] = {};
  const rowOf: MatrixGrid['rowOf'] = {};
  for (const [index, row] of displayRows(rows).entries()) {
    (rowOf[row.client] ??= {})[row.server] = index;
    if (!clients.includes(row.client)) clients.push(row.client);
    if (!servers.includes(row.server)) servers.push(row.server);
    const cell = ((cells[row.client] ??= {})[row.server] ??= []);
    for (const c of row.certificates) if (!cell.includes(c)) cell.push(c);
  }
  return { clients, servers, cells, rowOf };
}
