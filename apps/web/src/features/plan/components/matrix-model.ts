/** Who talks to whom as a grid: clients down, servers across, certificates in the cells. Pure. */
import type { MatrixEdge } from '@kpki/shared';

export interface MatrixGrid {
  clients: string[];
  servers: string[];
  /** cells[client][server] = certificate names presented on that edge */
  cells: Record<string, Record<string, string[]>>;
}

export function toMatrixGrid(edges: MatrixEdge[]): MatrixGrid {
  const clients: string[] = [];
  const servers: string[] = [];
  const cells: MatrixGrid['cells'] = {};
  for (const e of edges) {
    if (!clients.includes(e.client)) clients.push(e.client);
    if (!servers.includes(e.server)) servers.push(e.server);
    const row = (cells[e.client] ??= {});
    const list = (row[e.server] ??= []);
    if (!list.includes(e.certificate)) list.push(e.certificate);
  }
  return { clients, servers, cells };
}
