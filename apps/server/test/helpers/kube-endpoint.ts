/**
 * A loopback HTTPS endpoint that authenticates clients the way kube-apiserver does with
 * `--client-ca-file`: it asks for a client certificate, verifies it against the given CA bundle
 * (chain, validity, client-auth usage: OpenSSL's SSL client purpose), and maps it to a user
 * (CN = username, each O = a group, plus `system:authenticated`). A request without a valid
 * client certificate is answered 401 as the API server answers an unauthenticated request.
 *
 * It serves what kubectl asks of it in the tests: `GET /version`, `POST
 * /apis/authentication.k8s.io/{v1,v1beta1,v1alpha1}/selfsubjectreviews` (what `kubectl auth
 * whoami` sends), and `GET /api` for discovery. Listens on 127.0.0.1 only, on a free port.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface KubeEndpointOptions {
  /** serving certificate (PEM), e.g. the cluster's kubernetes.pem */
  certPem: string;
  /** its private key (PEM) */
  keyPem: string;
  /** CA bundle (PEM) that client certificates must chain to, e.g. the cluster's ca.pem */
  clientCaPem: string;
}

export interface SeenRequest {
  method: string;
  path: string;
  /** null when the client presented no certificate that verifies */
  user: { username: string; groups: string[] } | null;
  /** OpenSSL's reason when a presented certificate did not verify */
  authorizationError: string | null;
}

export interface KubeEndpoint {
  port: number;
  /** https://127.0.0.1:<port> */
  url: string;
  /** every request answered, in order */
  requests: SeenRequest[];
  stop(): Promise<void>;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function send(res: import('node:http').ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Starts the endpoint; stop() closes it (and every open connection). */
export async function startKubeEndpoint(opts: KubeEndpointOptions): Promise<KubeEndpoint> {
  const requests: SeenRequest[] = [];
  const server = https.createServer({ cert: opts.certPem, key: opts.keyPem, ca: opts.clientCaPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    const presented = !!peer && Object.keys(peer).length > 0;
    const user = socket.authorized && presented
      ? { username: String(list(peer.subject?.CN)[0] ?? ''), groups: [...list(peer.subject?.O), 'system:authenticated'] }
      : null;
    const path = (req.url ?? '/').split('?')[0];
    requests.push({ method: req.method ?? 'GET', path, user, authorizationError: presented && !socket.authorized ? String(socket.authorizationError) : null });
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (!user) {
        return send(res, 401, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
      }
      if (req.method === 'GET' && path === '/version') {
        return send(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0-kpki-test', platform: 'linux/amd64' });
      }
      if (req.method === 'GET' && path === '/api') {
        return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
      }
      const review = path.match(/^\/apis\/authentication\.k8s\.io\/(v1|v1beta1|v1alpha1)\/selfsubjectreviews$/);
      if (req.method === 'POST' && review) {
        return send(res, 201, {
          kind: 'SelfSubjectReview', apiVersion: `authentication.k8s.io/${review[1]}`, metadata: { creationTimestamp: null },
          status: { userInfo: { username: user.username, groups: user.groups } },
        });
      }
      return send(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${path} not found`, reason: 'NotFound', code: 404 });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
