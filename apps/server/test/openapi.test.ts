/**
 * The OpenAPI description (issue 17): fetched from a server listening on a loopback socket, it is
 * a valid OpenAPI 3.1 document (@readme/openapi-parser), every route of the server's route table
 * is in it with a summary, its success answer, its error answers with codes of the one table,
 * its security and its role; and the JSON answers of a real cluster are what it says (each
 * validates against its declared schema, and holds no property the schema does not declare).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AddressInfo } from 'node:net';
import { validate } from '@readme/openapi-parser';
import { Value } from 'typebox/value';
import type { TSchema } from 'typebox';
import Type from 'typebox';
import { CaRotationSummary, CertificateRow, ErrorCodes, ExpirySummary, NodeRow, PlanCaKeyFilesView, PlanTalksView } from '@kpki/shared';
import { issuedCluster, reauth, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { createToken } from './helpers/auth.ts';
import { OPERATIONS, openApiPath } from '../src/routes/contract.ts';

type App = Awaited<ReturnType<typeof testApp>>;
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; in?: string; name?: string; scheme?: string }> };
};
type Operation = {
  summary?: string;
  description?: string;
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
};

/** The routes of the description's own UI and files: not operations of the API. */
const isDocsRoute = (url: string) => url.startsWith('/api/docs');
/** The built web app's files (index.html, /assets/*), served when apps/web/dist exists (as in npm test): not operations either. */
const isWebFile = (url: string) => /^\/(assets\/.*|[\w.-]+\.\w+|\*)?$/.test(url);

describe('the OpenAPI description of a running server', () => {
  let app: App;
  let base = '';
  let doc: Doc;

  beforeAll(async () => {
    app = await testApp(tempDataDir());
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const res = await fetch(`${base}/api/docs/json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });
  afterAll(async () => {
    await app?.close();
  });

  test('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : result.errors, JSON.stringify(result, null, 1).slice(0, 4000)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('declares the session cookie with its CSRF header, and bearer tokens', () => {
    const s = doc.components.securitySchemes;
    expect(s.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'kpki_session' });
    expect(s.csrf).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-csrf-token' });
    expect(s.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  test('every route of the server is an operation with a summary, its answers, security and role', () => {
    const problems: string[] = [];
    const routes = app.routeTable.filter((r) => !isDocsRoute(r.url) && !isWebFile(r.url));
    expect(routes.length).toBeGreaterThan(60);
    for (const r of routes) {
      // HEAD answers as its GET does (Fastify adds it to every GET): described by the GET
      const method = (r.method === 'HEAD' ? 'GET' : r.method).toLowerCase();
      const key = `${r.method} ${r.url}`;
      const op = doc.paths[openApiPath(r.url)]?.[method];
      if (!op) {
        problems.push(`${key}: not in the description: add its entry to OPERATIONS in apps/server/src/routes/contract.ts`);
        continue;
      }
      if (!op.summary) problems.push(`${key}: no summary`);
      const statuses = Object.keys(op.responses);
      const ok = statuses.filter((s) => s.startsWith('2'));
      if (!ok.length) problems.push(`${key}: no success answer`);
      for (const s of ok) {
        const answer = op.responses[s];
        if (s === '204') {
          if (answer.content) problems.push(`${key}: 204 with content`);
          continue;
        }
        const content = Object.entries(answer.content ?? {});
        if (!content.length) problems.push(`${key}: ${s} without content`);
        for (const [type, { schema }] of content) {
          if (type === 'application/json' && !(schema.properties || schema.anyOf || schema.type === 'array')) problems.push(`${key}: ${s} JSON answer without a schema`);
          if (type !== 'application/json' && schema.type !== 'string') problems.push(`${key}: ${s} ${type} answer is not a string`);
        }
      }
      // every error answer is the error body, its codes from the one table and of its status
      for (const s of statuses.filter((x) => /^[45]/.test(x))) {
        const schema = op.responses[s].content?.['application/json']?.schema as { properties?: { error?: { properties?: { code?: { anyOf?: Array<{ enum?: string[] }> } } } } } | undefined;
        const codes = schema?.properties?.error?.properties?.code?.anyOf?.flatMap((c) => c.enum ?? []) ?? [];
        if (!codes.length) problems.push(`${key}: ${s} answer without its error codes`);
        for (const c of codes) if (ErrorCodes[c as keyof typeof ErrorCodes] !== Number(s)) problems.push(`${key}: ${c} under ${s}`);
      }
      if (!op.responses['500']) problems.push(`${key}: no 500 answer`);
      // security and role follow the route's config (the auth hook's rule)
      const need = r.config.role ?? (['GET', 'HEAD'].includes(r.method) ? 'viewer' : 'operator');
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
      if (r.url === '/metrics') {
        if (schemes.join() !== 'bearer') problems.push(`${key}: /metrics takes a bearer token only`);
      } else if (need === 'public') {
        if (!op.description?.startsWith('Public')) problems.push(`${key}: public, not said`);
      } else {
        if (!op.description?.includes(`Role: ${need}`)) problems.push(`${key}: role ${need} not in the description: ${op.description}`);
        if (!op.responses['401'] || !op.responses['403']) problems.push(`${key}: no 401 or 403 answer`);
        if (!schemes.includes('session')) problems.push(`${key}: no session security`);
        if (r.config.session ? schemes.includes('bearer') : !schemes.includes('bearer')) problems.push(`${key}: bearer security ${r.config.session ? 'on a session-only route' : 'missing'}`);
        const unsafe = !['GET', 'HEAD'].includes(r.method);
        if (unsafe && !(op.security ?? []).some((s) => 'session' in s && 'csrf' in s)) problems.push(`${key}: a write by cookie session without the CSRF header`);
      }
    }
    // and nothing in the description that the server does not route
    const routed = new Set(routes.map((r) => `${(r.method === 'HEAD' ? 'GET' : r.method).toLowerCase()} ${openApiPath(r.url)}`));
    for (const [p, ops] of Object.entries(doc.paths)) for (const m of Object.keys(ops)) if (!routed.has(`${m} ${p}`)) problems.push(`${m} ${p}: described, not routed`);
    expect(problems).toEqual([]);
  });

  test("a cluster's version: ETag on its answers, If-Match on its writes, 412 with the current version", () => {
    const cluster = doc.paths['/api/v1/clusters/{cluster}'];
    for (const op of [cluster.get, cluster.put, doc.paths['/api/v1/clusters'].post]) {
      const ok = op.responses['200'] ?? op.responses['201'];
      expect((ok as { headers?: Record<string, unknown> }).headers).toHaveProperty('etag');
    }
    for (const op of [cluster.put, cluster.delete, doc.paths['/api/v1/clusters/{cluster}/nodes/{node}/ssh'].put]) {
      const params = (op as { parameters?: Array<{ in: string; name: string; required?: boolean }> }).parameters ?? [];
      expect(params.find((p) => p.in === 'header' && p.name === 'if-match')).toMatchObject({ required: false });
      const details = (op.responses['412'].content!['application/json'].schema as any).properties.error.properties.details;
      expect(Object.keys(details.properties)).toEqual(['etag', 'current']);
    }
  });

  test('non-JSON answers carry their media types', () => {
    const media = (p: string) => Object.keys(doc.paths[p].get.responses['200'].content ?? {});
    expect(media('/api/v1/clusters/{cluster}/certificates/{name}/cert.pem')).toEqual(['application/x-pem-file']);
    expect(media('/api/v1/clusters/{cluster}/certificates/{name}/key.pem')).toEqual(['application/x-pem-file']);
    expect(media('/api/v1/clusters/{cluster}/bundle.tar.gz')).toEqual(['application/gzip']);
    expect(media('/api/v1/jobs/{id}/events')).toEqual(['text/event-stream']);
    expect(media('/metrics')).toEqual(['text/plain']);
    expect(media('/api/v1/clusters/{cluster}/kubeconfigs/{name}')).toEqual(['application/yaml']);
  });
});

/** Properties of `body` that `schema` does not declare (paths), walking objects, arrays, unions and records. */
function undeclared(schema: Record<string, any>, body: unknown, at = ''): string[] {
  if (body === null || typeof body !== 'object') return [];
  // an unknown (e.g. an audit line's details, a job's result): anything is declared
  if (!schema.anyOf && !schema.properties && !schema.patternProperties && !schema.items) return [];
  if (schema.anyOf) {
    // the branch the value fits (objects: the one that declares the most of its keys)
    const fits = (schema.anyOf as Array<Record<string, any>>).filter((s) => Value.Check(s as TSchema, body));
    return fits.length ? fits.map((s) => undeclared(s, body, at)).sort((a, b) => a.length - b.length)[0] : [`${at}: fits no branch`];
  }
  if (Array.isArray(body)) return schema.items ? body.flatMap((v, i) => undeclared(schema.items, v, `${at}/${i}`)) : [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    const prop = schema.properties?.[k] ?? (schema.patternProperties ? Object.values(schema.patternProperties)[0] : undefined);
    if (!prop) {
      if (!schema.additionalProperties) out.push(`${at}/${k}`);
      continue;
    }
    out.push(...undeclared(prop, v, `${at}/${k}`));
  }
  return out;
}

describe('the answers are what the description says', () => {
  let app: App;
  let cluster = '';
  let importId = '';
  beforeAll(async () => {
    app = await testApp(tempDataDir());
    cluster = await issuedCluster(app);
    // an import of the cluster's own files (certificates, keys, kubeconfigs) for the import's answer
    await reauth(app);
    const bundle = (await app.inject(`/api/v1/clusters/${cluster}/bundle.tar.gz`)).rawPayload;
    const imported = await app.inject({ method: 'POST', url: `/api/v1/clusters/${cluster}/imports`, headers: { 'content-type': 'application/gzip' }, payload: bundle });
    expect(imported.statusCode, imported.body).toBe(201);
    importId = imported.json().id;
    await createToken(app, 'described');
    await app.inject({ method: 'POST', url: `/api/v1/clusters/${cluster}/nodes/worker1/verify` });
    // a CA rotation in progress (both CAs, the restart order) for the rotation's answer
    const rotation = await app.inject({ method: 'POST', url: `/api/v1/clusters/${cluster}/ca-rotation`, payload: { phase: 'prepare' } });
    expect(rotation.statusCode, rotation.body).toBe(202);
    expect((await waitJob(app, rotation.json().jobId)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await app?.close();
  });

  test('every JSON answer of a GET on an issued cluster validates against its schema and holds nothing undeclared', async () => {
    const job = (await app.inject('/api/v1/jobs')).json().items[0].id as string;
    const urls: Record<string, string> = {
      'GET /api/v1/health': '/api/v1/health',
      'GET /api/v1/presets/hard-way': '/api/v1/presets/hard-way',
      'GET /api/v1/session': '/api/v1/session',
      'GET /api/v1/users': '/api/v1/users',
      'GET /api/v1/tokens': '/api/v1/tokens',
      'GET /api/v1/audit': '/api/v1/audit',
      'GET /api/v1/audit/counts': '/api/v1/audit/counts?q=admin',
      'GET /api/v1/audit/facets': '/api/v1/audit/facets',
      'GET /api/v1/audit/archives': '/api/v1/audit/archives',
      'GET /api/v1/clusters': '/api/v1/clusters',
      'GET /api/v1/clusters/{cluster}': `/api/v1/clusters/${cluster}`,
      'GET /api/v1/clusters/{cluster}/plan': `/api/v1/clusters/${cluster}/plan`,
      'GET /api/v1/clusters/{cluster}/issuances': `/api/v1/clusters/${cluster}/issuances`,
      'GET /api/v1/deleted-clusters': '/api/v1/deleted-clusters',
      'GET /api/v1/clusters/{cluster}/certificates': `/api/v1/clusters/${cluster}/certificates?status=all`,
      'GET /api/v1/clusters/{cluster}/certificates/{name}': `/api/v1/clusters/${cluster}/certificates/kubernetes`,
      'GET /api/v1/clusters/{cluster}/certificates/{name}/check': `/api/v1/clusters/${cluster}/certificates/kubernetes/check?address=10.32.0.1:6443`,
      'GET /api/v1/clusters/{cluster}/nodes': `/api/v1/clusters/${cluster}/nodes`,
      'GET /api/v1/clusters/{cluster}/ssh-key': `/api/v1/clusters/${cluster}/ssh-key`,
      'GET /api/v1/clusters/{cluster}/nodes/{node}/status': `/api/v1/clusters/${cluster}/nodes/worker1/status`,
      'GET /api/v1/clusters/{cluster}/links': `/api/v1/clusters/${cluster}/links?source=issued`,
      'GET /api/v1/clusters/{cluster}/kubeconfigs': `/api/v1/clusters/${cluster}/kubeconfigs`,
      'GET /api/v1/jobs': '/api/v1/jobs',
      'GET /api/v1/jobs/{id}': `/api/v1/jobs/${job}`,
      'GET /api/v1/clusters/{cluster}/expiry': `/api/v1/clusters/${cluster}/expiry`,
      'GET /api/v1/clusters/{cluster}/changes': `/api/v1/clusters/${cluster}/changes`,
      'GET /api/v1/clusters/{cluster}/ca-rotation': `/api/v1/clusters/${cluster}/ca-rotation`,
      'GET /api/v1/clusters/{cluster}/imports/{id}': `/api/v1/clusters/${cluster}/imports/${importId}`,
    };
    const jsonGets = Object.entries(OPERATIONS).filter(([k, op]) => k.startsWith('GET ') && op.ok[200] && !('media' in op.ok[200])).map(([k]) => k);
    // every JSON GET of the contract is exercised here
    expect(jsonGets.filter((k) => !urls[k])).toEqual([]);
    const problems: string[] = [];
    // answers of the same operation in another form: the brief node list (NodeRow, the nodes page's), the banners' summaries, the brief certificate list (CertificateRow, the certificates page's)
    // and the plan's lean views (PlanTalksView, PlanCaKeyFilesView)
    const more: Array<[string, string]> = [
      ['GET /api/v1/clusters/{cluster}/nodes', `/api/v1/clusters/${cluster}/nodes?view=brief`],
      ['GET /api/v1/clusters/{cluster}/expiry', `/api/v1/clusters/${cluster}/expiry?view=summary`],
      ['GET /api/v1/clusters/{cluster}/ca-rotation', `/api/v1/clusters/${cluster}/ca-rotation?view=summary`],
      ['GET /api/v1/clusters/{cluster}/certificates', `/api/v1/clusters/${cluster}/certificates?status=all&view=brief`],
      ['GET /api/v1/clusters/{cluster}/plan', `/api/v1/clusters/${cluster}/plan?view=talks`],
      ['GET /api/v1/clusters/{cluster}/plan', `/api/v1/clusters/${cluster}/plan?view=ca-key-files`],
    ];
    for (const [key, url] of [...Object.entries(urls), ...more]) {
      const res = await app.inject(url);
      if (res.statusCode !== 200) {
        problems.push(`${key}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        continue;
      }
      const schema = OPERATIONS[key].ok[200] as TSchema;
      const body = res.json();
      const errors = [...Value.Errors(schema, body)].slice(0, 3).map((e) => `${(e as { instancePath?: string }).instancePath} ${e.message}`);
      if (errors.length) problems.push(`${key}: ${errors.join('; ')}`);
      const extra = undeclared(schema as Record<string, any>, body);
      if (extra.length) problems.push(`${key}: undeclared ${extra.slice(0, 5).join(', ')}`);
    }
    const brief = (await app.inject(`/api/v1/clusters/${cluster}/nodes?view=brief`)).json();
    expect(brief.items.length).toBeGreaterThan(0);
    expect([...Value.Errors(Type.Object({ items: Type.Array(NodeRow) }), brief)].slice(0, 3)).toEqual([]);
    // each summary is its own schema (not only one side of the union), the rotation's in the prepared phase
    const summaries: Array<[string, TSchema]> = [['expiry', ExpirySummary], ['ca-rotation', CaRotationSummary]];
    for (const [path, schema] of summaries) {
      const body = (await app.inject(`/api/v1/clusters/${cluster}/${path}?view=summary`)).json();
      expect([...Value.Errors(schema, body)].slice(0, 3), path).toEqual([]);
      expect(undeclared(schema as Record<string, any>, body), path).toEqual([]);
    }
    expect((await app.inject(`/api/v1/clusters/${cluster}/ca-rotation?view=summary`)).json()).toMatchObject({ phase: 'prepared', nodes: expect.any(Number) });
    expect((await app.inject(`/api/v1/clusters/${cluster}/expiry?view=nope`)).statusCode).toBe(400);
    const certRows = (await app.inject(`/api/v1/clusters/${cluster}/certificates?status=all&view=brief`)).json();
    expect(certRows.items.length).toBeGreaterThan(0);
    expect([...Value.Errors(Type.Object({ items: Type.Array(CertificateRow) }), certRows)].slice(0, 3)).toEqual([]);
    expect(certRows.items[0]).not.toHaveProperty('sha256');
    for (const [view, schema] of [['talks', PlanTalksView], ['ca-key-files', PlanCaKeyFilesView]] as const) {
      const lean = (await app.inject(`/api/v1/clusters/${cluster}/plan?view=${view}`)).json();
      expect(lean.view).toBe(view);
      expect([...Value.Errors(schema, lean)].slice(0, 3)).toEqual([]);
    }
    // the JSON form of the audit export (a file, not serialized by Fastify) is its schema too
    const exported = await app.inject('/api/v1/audit/export?format=json');
    expect(exported.headers['content-type']).toContain('application/json');
    const exportSchema = (OPERATIONS['GET /api/v1/audit/export'].ok[200] as { json: TSchema }).json;
    expect([...Value.Errors(exportSchema, exported.json())].slice(0, 3)).toEqual([]);
    expect(undeclared(exportSchema as Record<string, any>, exported.json())).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('an error answer is the error body of its status', async () => {
    const res = await app.inject(`/api/v1/clusters/${cluster}/certificates/nope`);
    expect(res.statusCode).toBe(404);
    const op = OPERATIONS['GET /api/v1/clusters/{cluster}/certificates/{name}'];
    expect(op).toBeTruthy();
    expect(res.json()).toMatchObject({ error: { code: 'CERTIFICATE_NOT_FOUND', message: expect.any(String) } });
  });
});
