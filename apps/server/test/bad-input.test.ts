/**
 * Bad input gets a clear answer and changes nothing: each invalid request below is answered
 * with a 4xx, a stable code from packages/shared/src/api/errors.ts and a message that says
 * what to fix, and the database is the same before and after it.
 *
 * "The same" is a dump of every table (schema, user_version, every row in rowid order, BLOBs
 * as hex) except `audit`: the audit log legitimately records each failed attempt, so for it
 * the test checks instead that the rows before are untouched and the new ones are all failures.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ErrorCodes } from '@kpki/shared/api/errors';
import { hardWayPreset } from '@kpki/shared/preset';
import { dump } from './helpers/db-dump.ts';
import { issuedCluster, reauth, tempDataDir, testApp } from './helpers/app.ts';
import { generateDeployKey } from '../src/ssh/keys.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';
const C = `${API}/clusters/hard-way`;

/** A valid new cluster body ("fresh"), changed by `change`. */
function cluster(change: (c: any) => void = () => {}): any {
  const c: any = { ...hardWayPreset(), name: 'fresh' };
  change(c);
  return c;
}
const node = (i: number, change: (n: any) => void) => cluster((c) => change(c.nodes[i]));

interface Case {
  what: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** JSON body */
  body?: unknown;
  /** raw body and its content type */
  raw?: { payload: string | Buffer; type: string };
  status: number;
  code: keyof typeof ErrorCodes;
  /** what the message must say (what to fix) */
  says: RegExp;
}

const rsaKey = (bits: number, passphrase?: string) =>
  crypto.generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({
    type: 'pkcs8', format: 'pem', ...(passphrase ? { cipher: 'aes-256-cbc', passphrase } : {}),
  }) as string;
const validPem = rsaKey(2048);
const garbledPem = validPem.replace(/\n([A-Za-z0-9+/]{64})\n/, (_, line: string) => `\n${line.split('').reverse().join('')}\n`);
const sshPub = generateDeployKey('x').publicKey;
const dsaLike = '-----BEGIN DSA PRIVATE KEY-----\nMIIBuwIBAAKBgQD\n-----END DSA PRIVATE KEY-----\n';
const huge = JSON.stringify(cluster((c) => (c.extraSans = { kubernetes: Array.from({ length: 100 }, () => 'a'.repeat(200)) }))).replace(/}$/, `,"pad":"${'x'.repeat(1024 * 1024)}"}`);

const ssh = (node: string, body: unknown): Pick<Case, 'method' | 'url' | 'body'> => ({ method: 'PUT', url: `${C}/nodes/${node}/ssh`, body });

const CASES: Case[] = [
  // node names
  { what: 'node name with uppercase letters', method: 'POST', url: `${API}/clusters`, body: node(0, (n) => (n.name = 'CP1')), status: 400, code: 'INVALID_TOPOLOGY', says: /nodes\/0\/name.*lowercase.*"cp1"/ },
  { what: 'node name with an underscore', method: 'POST', url: `${API}/clusters`, body: node(3, (n) => (n.name = 'worker_1')), status: 400, code: 'INVALID_TOPOLOGY', says: /"worker_1" is not a DNS label; use 1-63 lowercase letters/ },
  { what: 'node name starting with "-"', method: 'POST', url: `${API}/clusters`, body: node(3, (n) => (n.name = '-worker1')), status: 400, code: 'INVALID_TOPOLOGY', says: /not a DNS label.*starting and ending with a letter or digit/ },
  { what: 'node name with a dot (a DNS name, not a label)', method: 'POST', url: `${API}/clusters`, body: node(3, (n) => (n.name = 'worker1.example.com')), status: 400, code: 'INVALID_TOPOLOGY', says: /not a DNS label/ },
  { what: 'node name longer than 63 characters', method: 'POST', url: `${API}/clusters`, body: node(3, (n) => (n.name = 'w'.repeat(64))), status: 400, code: 'VALIDATION_FAILED', says: /\/nodes\/3\/name.*63/ },
  { what: 'empty node name', method: 'POST', url: `${API}/clusters`, body: node(3, (n) => (n.name = '')), status: 400, code: 'VALIDATION_FAILED', says: /\/nodes\/3\/name/ },
  { what: 'duplicate node names', method: 'POST', url: `${API}/clusters`, body: node(4, (n) => (n.name = 'worker1')), status: 400, code: 'INVALID_TOPOLOGY', says: /"worker1" is already used by node 3; give every node its own name/ },
  { what: 'path traversal in a node name', method: 'POST', url: `${API}/clusters`, body: node(3, (n) => (n.name = '../../etc')), status: 400, code: 'INVALID_TOPOLOGY', says: /"\.\.\/\.\.\/etc" is not a DNS label/ },
  { what: 'a worker named like a certificate ("ca")', method: 'POST', url: `${API}/clusters`, body: node(3, (n) => (n.name = 'ca')), status: 400, code: 'INVALID_TOPOLOGY', says: /ca\.pem.*rename the worker/ },
  { what: 'a worker whose certificate file is kube-proxy\'s key file', method: 'POST', url: `${API}/clusters`, body: node(3, (n) => (n.name = 'kube-proxy-key')), status: 400, code: 'INVALID_TOPOLOGY', says: /worker "kube-proxy-key".*kube-proxy-key\.pem.*certificate "kube-proxy".*rename the worker/ },
  { what: 'a worker whose certificate file is the CA key file', method: 'PUT', url: C, body: cluster((c) => { c.name = 'hard-way'; c.nodes[3].name = 'ca-key'; }), status: 400, code: 'INVALID_TOPOLOGY', says: /ca-key\.pem.*the CA/ },
  { what: 'a worker whose certificate file is another worker\'s key file', method: 'POST', url: `${API}/clusters`, body: node(4, (n) => (n.name = 'worker1-key')), status: 400, code: 'INVALID_TOPOLOGY', says: /worker "worker1-key".*worker "worker1"/ },
  // cluster names
  { what: 'cluster name that is not a DNS label', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.name = 'Hard Way')), status: 400, code: 'INVALID_TOPOLOGY', says: /cluster name "Hard Way" is not a DNS label/ },
  { what: 'path traversal in a cluster name', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.name = '../x')), status: 400, code: 'INVALID_TOPOLOGY', says: /cluster name "\.\.\/x" is not a DNS label/ },
  { what: 'a cluster name that exists', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.name = 'hard-way')), status: 409, code: 'CLUSTER_EXISTS', says: /choose another name or edit that one/ },
  // addresses
  { what: 'IPv4 address with an octet above 255', method: 'POST', url: `${API}/clusters`, body: node(0, (n) => (n.addresses = ['192.168.56.300'])), status: 400, code: 'INVALID_TOPOLOGY', says: /"192\.168\.56\.300" is not an IPv4 or IPv6 address; use e\.g\./ },
  { what: 'a host name instead of an address', method: 'POST', url: `${API}/clusters`, body: node(0, (n) => (n.addresses = ['cp1.example.com'])), status: 400, code: 'INVALID_TOPOLOGY', says: /not an IPv4 or IPv6 address/ },
  { what: 'an address with a prefix', method: 'POST', url: `${API}/clusters`, body: node(0, (n) => (n.addresses = ['192.168.56.21/24'])), status: 400, code: 'INVALID_TOPOLOGY', says: /is a CIDR; give a single address without "\/prefix"/ },
  { what: 'IPv6 address in brackets', method: 'POST', url: `${API}/clusters`, body: node(0, (n) => (n.addresses = ['[fd00::21]'])), status: 400, code: 'INVALID_TOPOLOGY', says: /write the IPv6 address without them/ },
  { what: 'the unspecified address', method: 'POST', url: `${API}/clusters`, body: node(0, (n) => (n.addresses = ['0.0.0.0'])), status: 400, code: 'INVALID_TOPOLOGY', says: /unspecified address; give the node's real address/ },
  { what: 'one address on two nodes', method: 'POST', url: `${API}/clusters`, body: node(1, (n) => (n.addresses = ['192.168.56.21'])), status: 400, code: 'INVALID_TOPOLOGY', says: /192\.168\.56\.21 is already given to node "cp1"/ },
  { what: 'a node without any address', method: 'POST', url: `${API}/clusters`, body: node(0, (n) => (n.addresses = [])), status: 400, code: 'VALIDATION_FAILED', says: /\/nodes\/0\/addresses/ },
  // service CIDR
  { what: 'service CIDR without a prefix', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.serviceCidr = '10.32.0.0')), status: 400, code: 'INVALID_TOPOLOGY', says: /is not a CIDR; write address\/prefix/ },
  { what: 'service CIDR with host bits', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.serviceCidr = '10.32.0.1/24')), status: 400, code: 'INVALID_TOPOLOGY', says: /host bits set; use the network address, e\.g\. "10\.32\.0\.0\/24"/ },
  { what: 'service CIDR prefix longer than the address', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.serviceCidr = '10.32.0.0/33')), status: 400, code: 'INVALID_TOPOLOGY', says: /prefix longer than the address/ },
  { what: 'service CIDR /32: no usable address', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.serviceCidr = '10.32.0.0/32')), status: 400, code: 'INVALID_TOPOLOGY', says: /no usable address.*use a wider range/ },
  { what: 'IPv6 service CIDR /128: no usable address', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.serviceCidr = 'fd00:10:96::/128')), status: 400, code: 'INVALID_TOPOLOGY', says: /no usable address/ },
  { what: 'cluster domain with an empty label', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.clusterDomain = 'cluster..local')), status: 400, code: 'INVALID_TOPOLOGY', says: /cluster domain "cluster\.\.local" is not a DNS name/ },
  // roles, control plane, validity
  { what: 'an unknown role', method: 'POST', url: `${API}/clusters`, body: node(0, (n) => (n.role = 'master')), status: 400, code: 'VALIDATION_FAILED', says: /\/nodes\/0\/role must be one of "control-plane", "worker", "load-balancer"; pick one of them/ },
  { what: 'no control-plane node', method: 'POST', url: `${API}/clusters`, body: cluster((c) => c.nodes.forEach((n: any) => n.role === 'control-plane' && (n.role = 'worker'))), status: 400, code: 'INVALID_TOPOLOGY', says: /no control-plane node; give at least one node the role "control-plane"/ },
  { what: 'certificate validity longer than the CA\'s', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.certValidityHours = 50000)), status: 400, code: 'INVALID_TOPOLOGY', says: /50000h exceeds the CA validity 43800h; lower it to at most 43800h/ },
  { what: 'zero validity', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.caValidityHours = 0)), status: 400, code: 'VALIDATION_FAILED', says: /\/caValidityHours must be >= 1; use a value >= 1/ },
  { what: 'an unknown key algorithm', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.keyAlgorithm = 'rsa-1024')), status: 400, code: 'VALIDATION_FAILED', says: /\/keyAlgorithm must be one of "rsa-2048".*"ecdsa-p384"/ },
  { what: 'extra SANs for a certificate that does not exist', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.extraSans = { 'kube-apiserver': ['api.example.com'] })), status: 400, code: 'INVALID_TOPOLOGY', says: /"kube-apiserver" is not a certificate of this cluster; use one of/ },
  { what: 'an extra SAN that is neither IP nor DNS name', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.extraSans = { kubernetes: ['not a name!'] })), status: 400, code: 'INVALID_TOPOLOGY', says: /neither an IP address nor a DNS name; give e\.g\./ },
  { what: 'a country that is not two letters', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.subject.C = 'us')), status: 400, code: 'INVALID_TOPOLOGY', says: /country "us" is not an ISO 3166 code/ },
  // unknown fields, wrong types
  { what: 'an unknown top-level field', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.admin = true)), status: 400, code: 'VALIDATION_FAILED', says: /the body has an unknown property "admin"; remove it/ },
  { what: 'an unknown node field', method: 'POST', url: `${API}/clusters`, body: node(0, (n) => (n.ip = '192.168.56.21')), status: 400, code: 'VALIDATION_FAILED', says: /\/nodes\/0 has an unknown property "ip"; remove it/ },
  { what: 'validity as a string', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.certValidityHours = '8760')), status: 400, code: 'VALIDATION_FAILED', says: /\/certValidityHours must be integer; give a value of type integer/ },
  { what: 'validity as a fraction', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.certValidityHours = 87.5)), status: 400, code: 'VALIDATION_FAILED', says: /\/certValidityHours/ },
  { what: 'nodes as an object', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.nodes = { cp1: c.nodes[0] })), status: 400, code: 'VALIDATION_FAILED', says: /\/nodes/ },
  { what: 'addresses as a string', method: 'POST', url: `${API}/clusters`, body: node(0, (n) => (n.addresses = '192.168.56.21')), status: 400, code: 'VALIDATION_FAILED', says: /\/nodes\/0\/addresses/ },
  { what: 'a missing field', method: 'POST', url: `${API}/clusters`, body: cluster((c) => delete c.serviceCidr), status: 400, code: 'VALIDATION_FAILED', says: /lacks the required property "serviceCidr"; add it/ },
  { what: 'a JSON array instead of an object', method: 'POST', url: `${API}/clusters`, body: [cluster()], status: 400, code: 'VALIDATION_FAILED', says: /the body must be object; give a value of type object/ },
  // malformed and oversized bodies
  { what: 'malformed JSON', method: 'POST', url: `${API}/clusters`, raw: { payload: '{"name": "fresh", "nodes": [', type: 'application/json' }, status: 400, code: 'INVALID_JSON', says: /not valid JSON: send a JSON object/ },
  { what: 'JSON with a trailing comma', method: 'POST', url: `${API}/clusters`, raw: { payload: JSON.stringify(cluster()).replace(/}$/, ',}'), type: 'application/json' }, status: 400, code: 'INVALID_JSON', says: /not valid JSON/ },
  { what: 'an empty JSON body', method: 'POST', url: `${API}/clusters`, raw: { payload: '', type: 'application/json' }, status: 400, code: 'INVALID_JSON', says: /not valid JSON/ },
  { what: 'a body over 1 MiB', method: 'POST', url: `${API}/clusters`, raw: { payload: huge, type: 'application/json' }, status: 413, code: 'PAYLOAD_TOO_LARGE', says: /larger than 1 MiB/ },
  { what: 'a body that is not JSON', method: 'POST', url: `${API}/clusters`, raw: { payload: 'name=fresh', type: 'application/x-www-form-urlencoded' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', says: /application\/json/ },
  { what: 'a prototype-pollution body', method: 'POST', url: `${API}/clusters`, raw: { payload: JSON.stringify(cluster()).replace(/^{/, '{"__proto__":{"admin":true},'), type: 'application/json' }, status: 400, code: 'INVALID_JSON', says: /not valid JSON/ },
  // topology edits
  { what: 'renaming a cluster', method: 'PUT', url: C, body: cluster((c) => (c.name = 'renamed')), status: 400, code: 'VALIDATION_FAILED', says: /cannot be renamed.*create a new one instead/ },
  { what: 'an edit that removes every control-plane node', method: 'PUT', url: C, body: cluster((c) => ((c.name = 'hard-way'), (c.nodes = c.nodes.filter((n: any) => n.role !== 'control-plane')))), status: 400, code: 'INVALID_TOPOLOGY', says: /no control-plane node/ },
  { what: 'an edit of a cluster that does not exist', method: 'PUT', url: `${API}/clusters/nope`, body: cluster((c) => (c.name = 'nope')), status: 404, code: 'CLUSTER_NOT_FOUND', says: /cluster "nope" does not exist/ },
  { what: 'path traversal in the cluster of the URL', method: 'DELETE', url: `${API}/clusters/..%2F..%2Fetc`, status: 400, code: 'VALIDATION_FAILED', says: /cluster/ },
  // SSH settings
  { what: 'relative remoteDir', ...ssh('worker1', { host: '127.0.0.1', remoteDir: 'pki' }), status: 400, code: 'VALIDATION_FAILED', says: /"pki" is relative; give an absolute path/ },
  { what: 'path traversal in remoteDir', ...ssh('worker1', { host: '127.0.0.1', remoteDir: '/home/kube/../../etc' }), status: 400, code: 'VALIDATION_FAILED', says: /contains a "\.\." segment/ },
  { what: 'path traversal out of the home in remoteDir', ...ssh('worker1', { host: '127.0.0.1', remoteDir: '~/../root/.ssh' }), status: 400, code: 'VALIDATION_FAILED', says: /"\.\." segment/ },
  { what: 'NUL in remoteDir', ...ssh('worker1', { host: '127.0.0.1', remoteDir: '/etc/pki\u0000x' }), status: 400, code: 'VALIDATION_FAILED', says: /control character/ },
  { what: 'SSH host that is neither address nor name', ...ssh('worker1', { host: 'node 1;rm -rf' }), status: 400, code: 'VALIDATION_FAILED', says: /neither an IP address nor a DNS name/ },
  { what: 'SSH user that looks like an option', ...ssh('worker1', { host: '127.0.0.1', user: '-oProxyCommand=sh' }), status: 400, code: 'VALIDATION_FAILED', says: /not a valid login name/ },
  { what: 'an SSH host in the link-local (cloud metadata) network', ...ssh('worker1', { host: '169.254.169.254' }), status: 409, code: 'SSH_TARGET_NOT_ALLOWED', says: /KPKI_SSH_ALLOWED_NETWORKS/ },
  { what: 'the unspecified address as SSH host', ...ssh('worker1', { host: '0.0.0.0' }), status: 409, code: 'SSH_TARGET_NOT_ALLOWED', says: /KPKI_SSH_ALLOWED_NETWORKS/ },
  { what: 'SSH port 0', ...ssh('worker1', { host: '127.0.0.1', port: 0 }), status: 400, code: 'VALIDATION_FAILED', says: /\/port must be >= 1/ },
  { what: 'SSH port above 65535', ...ssh('worker1', { host: '127.0.0.1', port: 70000 }), status: 400, code: 'VALIDATION_FAILED', says: /\/port must be <= 65535/ },
  { what: 'SSH port as a string', ...ssh('worker1', { host: '127.0.0.1', port: '22' }), status: 400, code: 'VALIDATION_FAILED', says: /\/port must be integer/ },
  { what: 'a host key that is an MD5 fingerprint', ...ssh('worker1', { host: '127.0.0.1', hostKey: 'MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48' }), status: 400, code: 'VALIDATION_FAILED', says: /not an OpenSSH SHA-256 fingerprint/ },
  { what: 'an unknown SSH field', ...ssh('worker1', { host: '127.0.0.1', password: 'hunter2' }), status: 400, code: 'VALIDATION_FAILED', says: /unknown property "password"; remove it/ },
  { what: 'SSH settings of a node that does not exist', ...ssh('worker9', { host: '127.0.0.1' }), status: 404, code: 'NODE_NOT_FOUND', says: /node "worker9" is not in cluster "hard-way"/ },
  { what: 'path traversal in the node of the URL', ...ssh('..%2F..%2Froot', { host: '127.0.0.1' }), status: 400, code: 'VALIDATION_FAILED', says: /node/ },
  // deploy key uploads
  { what: 'garbage instead of a key', method: 'PUT', url: `${C}/ssh-key`, body: { privateKey: 'hello, world' }, status: 400, code: 'INVALID_PEM', says: /cannot be read.*expected an OpenSSH .* or PEM/ },
  { what: 'a PEM key with a garbled body', method: 'PUT', url: `${C}/ssh-key`, body: { privateKey: garbledPem }, status: 400, code: 'INVALID_PEM', says: /give an unencrypted OpenSSH or PEM private key/ },
  { what: 'a public key instead of the private key', method: 'PUT', url: `${C}/ssh-key`, body: { privateKey: sshPub }, status: 400, code: 'INVALID_PEM', says: /this is a public key: upload the private key/ },
  { what: 'an encrypted private key', method: 'PUT', url: `${C}/ssh-key`, body: { privateKey: rsaKey(2048, 'secret-passphrase') }, status: 400, code: 'INVALID_PEM', says: /encrypted.*ssh-keygen -p/ },
  { what: 'an RSA key of 1024 bits', method: 'PUT', url: `${C}/ssh-key`, body: { privateKey: rsaKey(1024) }, status: 400, code: 'INVALID_PEM', says: /1024 bits is too weak: use at least 2048 bits/ },
  { what: 'a DSA key', method: 'PUT', url: `${C}/ssh-key`, body: { privateKey: dsaLike }, status: 400, code: 'INVALID_PEM', says: /DSA keys are not supported|cannot be read/ },
  { what: 'a certificate instead of a key', method: 'PUT', url: `${C}/ssh-key`, body: { privateKey: 'CERT' }, status: 400, code: 'INVALID_PEM', says: /expected an OpenSSH .* or PEM/ },
  { what: 'an empty key', method: 'PUT', url: `${C}/ssh-key`, body: { privateKey: '' }, status: 400, code: 'VALIDATION_FAILED', says: /\/privateKey/ },
  { what: 'a key field of the wrong name', method: 'PUT', url: `${C}/ssh-key`, body: { key: validPem }, status: 400, code: 'VALIDATION_FAILED', says: /lacks the required property "privateKey".*unknown property "key"/ },
  { what: 'a 20 kB key', method: 'PUT', url: `${C}/ssh-key`, body: { privateKey: validPem.repeat(12) }, status: 400, code: 'VALIDATION_FAILED', says: /\/privateKey/ },
  // query parameters and other routes
  { what: 'an unknown certificate status filter', method: 'GET', url: `${C}/certificates?status=expired`, status: 400, code: 'VALIDATION_FAILED', says: /querystring is not valid: \/status must be one of "current", "all"/ },
  { what: 'a serial that is not hex', method: 'GET', url: `${C}/certificates/kubernetes?serial=xyz`, status: 400, code: 'VALIDATION_FAILED', says: /\/serial/ },
  { what: 'the address check without an address', method: 'GET', url: `${C}/certificates/kubernetes/check`, status: 400, code: 'VALIDATION_FAILED', says: /the querystring lacks the required property "address"/ },
  { what: 'an audit page size of 0', method: 'GET', url: `${API}/audit?limit=0`, status: 400, code: 'VALIDATION_FAILED', says: /\/limit/ },
  { what: 'an audit page size that is not a number', method: 'GET', url: `${API}/audit?limit=all`, status: 400, code: 'VALIDATION_FAILED', says: /\/limit/ },
  { what: 'a bundle for a node that does not exist', method: 'GET', url: `${C}/bundle.tar.gz?node=..%2Fetc`, status: 404, code: 'NODE_NOT_FOUND', says: /node "\.\.\/etc" is not in cluster/ },
  { what: 'a distribution to no node', method: 'POST', url: `${C}/distributions`, body: { nodes: [] }, status: 400, code: 'VALIDATION_FAILED', says: /\/nodes/ },
  { what: 'a distribution to an unknown node', method: 'POST', url: `${C}/distributions`, body: { nodes: ['cp1', 'cp9'] }, status: 404, code: 'NODE_NOT_FOUND', says: /node "cp9" is not in cluster "hard-way"/ },
  { what: 'a verification of no node', method: 'POST', url: `${C}/verifications`, body: { nodes: [] }, status: 400, code: 'VALIDATION_FAILED', says: /\/nodes/ },
  { what: 'a verification of an unknown node', method: 'POST', url: `${C}/verifications`, body: { nodes: ['cp9'] }, status: 404, code: 'NODE_NOT_FOUND', says: /node "cp9" is not in cluster "hard-way"/ },
  { what: 'a verification with an unknown field', method: 'POST', url: `${C}/verifications`, body: { all: true }, status: 400, code: 'VALIDATION_FAILED', says: /all/ },
  { what: 'a distribution with nodes as a string', method: 'POST', url: `${C}/distributions`, body: { nodes: 'cp1' }, status: 400, code: 'VALIDATION_FAILED', says: /\/nodes/ },
  { what: 'a second CA', method: 'POST', url: `${C}/ca`, status: 409, code: 'CA_EXISTS', says: /already has a CA: re-issue the leaves instead/ },
  // lifecycle (issue 10): thresholds, renewals, changes
  { what: 'an expiry warning threshold of 0 days', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.expiryWarningDays = 0)), status: 400, code: 'VALIDATION_FAILED', says: /\/expiryWarningDays must be >= 1/ },
  { what: 'an expiry threshold that is not a whole number', method: 'POST', url: `${API}/clusters`, body: cluster((c) => (c.expiryCriticalDays = 2.5)), status: 400, code: 'VALIDATION_FAILED', says: /\/expiryCriticalDays/ },
  { what: 'a critical threshold not below the warning one', method: 'PUT', url: C, body: cluster((c) => ((c.name = 'hard-way'), (c.expiryWarningDays = 10), (c.expiryCriticalDays = 14))), status: 400, code: 'INVALID_TOPOLOGY', says: /expiryCriticalDays \(14\) must be below expiryWarningDays \(10\); lower the critical threshold/ },
  { what: 'renewing a certificate that does not exist', method: 'POST', url: `${C}/renewals`, body: { certificates: ['kubernetes', 'worker7'] }, status: 404, code: 'CERTIFICATE_NOT_FOUND', says: /certificate "worker7" is not in cluster "hard-way"/ },
  { what: 'renewing the CA', method: 'POST', url: `${C}/renewals`, body: { certificates: ['ca'] }, status: 409, code: 'CA_ROTATION_REQUIRED', says: /never renewed in place.*CA rotation/ },
  { what: 'renewing an empty list', method: 'POST', url: `${C}/renewals`, body: { certificates: [] }, status: 400, code: 'VALIDATION_FAILED', says: /\/certificates/ },
  { what: 'renewing with keepKeys as a string', method: 'POST', url: `${C}/renewals`, body: { keepKeys: 'yes' }, status: 400, code: 'VALIDATION_FAILED', says: /\/keepKeys/ },
  { what: 'renewing with an unknown field', method: 'POST', url: `${C}/renewals`, body: { force: true }, status: 400, code: 'VALIDATION_FAILED', says: /unknown property "force"; remove it/ },
  { what: 'renewing in a cluster without a CA', method: 'POST', url: `${API}/clusters/noca/renewals`, body: {}, status: 409, code: 'CA_NOT_FOUND', says: /has no CA: create it .* before renewing/ },
  { what: 'renewing in a cluster that does not exist', method: 'POST', url: `${API}/clusters/nope/renewals`, body: {}, status: 404, code: 'CLUSTER_NOT_FOUND', says: /cluster "nope" does not exist/ },
  { what: 'applying changes without a CA', method: 'POST', url: `${API}/clusters/noca/changes/apply`, body: { distribute: true }, status: 409, code: 'CA_NOT_FOUND', says: /has no CA: create it .* before applying changes/ },
  { what: 'applying changes with distribute as a string', method: 'POST', url: `${C}/changes/apply`, body: { distribute: 'yes' }, status: 400, code: 'VALIDATION_FAILED', says: /\/distribute/ },
  { what: 'the expiry of a cluster that does not exist', method: 'GET', url: `${API}/clusters/nope/expiry`, status: 404, code: 'CLUSTER_NOT_FOUND', says: /cluster "nope" does not exist/ },
  // users
  { what: 'a user with an unknown role', method: 'POST', url: `${API}/users`, body: { username: 'eve', password: 'long-enough-password', role: 'root' }, status: 400, code: 'VALIDATION_FAILED', says: /\/role must be one of "admin", "operator", "viewer"/ },
  { what: 'a user with a short password', method: 'POST', url: `${API}/users`, body: { username: 'eve', password: 'short', role: 'viewer' }, status: 400, code: 'VALIDATION_FAILED', says: /at least 12 characters/ },
  { what: 'a user name with a slash', method: 'POST', url: `${API}/users`, body: { username: '../eve', password: 'long-enough-password', role: 'viewer' }, status: 400, code: 'VALIDATION_FAILED', says: /\/username/ },
  { what: 'a user that exists', method: 'POST', url: `${API}/users`, body: { username: 'admin', password: 'long-enough-password', role: 'viewer' }, status: 409, code: 'USER_EXISTS', says: /choose another name/ },
  { what: 'a user id that is not a number', method: 'PATCH', url: `${API}/users/admin`, body: { role: 'viewer' }, status: 400, code: 'VALIDATION_FAILED', says: /\/id/ },
  { what: 'a sign-in with an unknown field', method: 'POST', url: `${API}/session`, body: { username: 'admin', password: 'x', remember: true }, status: 400, code: 'VALIDATION_FAILED', says: /unknown property "remember"; remove it/ },
];

describe('bad input gets a clear answer and changes nothing', () => {
  let dataDir = '';
  let app: App;

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    await issuedCluster(app);
    await reauth(app); // cp1's SSH target and deploy keys are the CA key's way: the admin re-entered the password
    // a cluster without a CA (lifecycle cases); its keys are prepared in the background: wait for them,
    // so that nothing writes to the database while the cases compare it (ECDSA: quick even at nice 19 on a busy machine)
    const noca = cluster((c) => ((c.name = 'noca'), (c.keyAlgorithm = 'ecdsa-p256')));
    expect((await app.inject({ method: 'POST', url: `${API}/clusters`, payload: noca })).statusCode).toBe(201);
    await app.deps.keys.settled();
    const pinned = await app.inject({ method: 'PUT', url: `${C}/nodes/cp1/ssh`, payload: { host: '127.0.0.1', port: 2222, user: 'kube', remoteDir: '~/pki' } });
    expect(pinned.statusCode).toBe(200);
    const certPem = (await app.inject(`${C}/certificates/admin/cert.pem`)).body;
    for (const c of CASES) if ((c.body as { privateKey?: string } | undefined)?.privateKey === 'CERT') (c.body as { privateKey: string }).privateKey = certPem;
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the table holds at least 40 cases, every expected code is a stable one', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    for (const c of CASES) expect(ErrorCodes[c.code], c.what).toBe(c.status);
    expect(new Set(CASES.map((c) => c.what)).size).toBe(CASES.length);
  });

  test.each(CASES.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
    const { db } = app.deps;
    const before = dump(db);
    const auditBefore = db.prepare('SELECT * FROM audit ORDER BY id').all() as Array<{ id: number }>;

    const res = await app.inject({
      method: c.method,
      url: c.url,
      ...(c.raw ? { payload: c.raw.payload, headers: { 'content-type': c.raw.type } } : c.body !== undefined ? { payload: c.body as object } : {}),
    });

    expect(res.statusCode, res.body.slice(0, 400)).toBe(c.status);
    const { error } = res.json();
    expect(error.code, error.message).toBe(c.code);
    expect(Object.keys(ErrorCodes)).toContain(error.code);
    expect(typeof error.message).toBe('string');
    expect(error.message.length, error.message).toBeGreaterThan(20);
    expect(error.message).toMatch(c.says);
    expect(error.message).not.toContain('-----'); // never echoes a PEM block
    expect(error.message).not.toMatch(/[A-Za-z0-9+/]{40}/); // nor base64 key material
    if (process.env.KPKI_SHOW_MESSAGES) console.log(`${c.what}: ${error.code} ${error.message}`);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/); // no stack traces

    expect(dump(db)).toBe(before);
    // the audit log only grows: old rows untouched, new rows (if any) record the failure
    const auditAfter = db.prepare('SELECT * FROM audit ORDER BY id').all() as Array<{ id: number; result: string }>;
    expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore);
    for (const row of auditAfter.slice(auditBefore.length)) expect(row.result).toBe(`failed (${c.status})`);
    if (c.method !== 'GET') expect(auditAfter.length).toBe(auditBefore.length + 1);
  });

  test('a valid request after all of them still works, so the dump comparison can see changes', async () => {
    const before = dump(app.deps.db);
    const res = await app.inject({ method: 'POST', url: `${API}/clusters`, payload: cluster() });
    expect(res.statusCode, res.body).toBe(201);
    expect(dump(app.deps.db)).not.toBe(before);
  });
});
