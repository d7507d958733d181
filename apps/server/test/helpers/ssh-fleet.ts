/**
 * Test helpers for the SSH transport against a real fleet (scripts/fleet.ts): a fleet with a
 * fresh deploy key, and connection options for one of its nodes. Loopback only.
 */
import { startFleet, type Fleet, type FleetNode } from '../../../../scripts/fleet.ts';
import { generateDeployKey, type DeployKey } from '../../src/ssh/keys.ts';
import type { ConnectOptions } from '../../src/ssh/transport.ts';

export interface KeyedFleet {
  fleet: Fleet;
  key: DeployKey;
  /** options for connect() to `name`, with the fleet's user, the deploy key and the pinned host key */
  opts(name: string, over?: Partial<ConnectOptions>): ConnectOptions;
  node(name: string): FleetNode;
}

/** Start a fleet whose authorized_keys holds a freshly generated deploy key. Stop it with fleet.stop(). */
export async function startKeyedFleet(names: string[]): Promise<KeyedFleet> {
  const key = generateDeployKey('kpki-test');
  const fleet = await startFleet({ nodes: names.map((name) => ({ name })), authorizedKeys: [key.publicKey] });
  return {
    fleet,
    key,
    node: (name) => fleet.node(name),
    opts(name, over = {}) {
      const n = fleet.node(name);
      return { host: n.host, port: n.port, user: fleet.user, privateKey: key.privateKey, hostKey: n.hostKeyFingerprint, node: name, timeoutMs: 10_000, ...over };
    },
  };
}
