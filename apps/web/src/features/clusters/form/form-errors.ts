/**
 * Field-level errors of the topology editor. The shared checkCluster (run in the browser before
 * sending) and the server (400 `details`) name a field by a JSON pointer into ClusterInput; this
 * maps each pointer to the form field shown beside it.
 */
import { checkCluster } from '@kpki/shared';
import type { FieldIssue } from '../../../api/client.ts';
import { parsePointer } from '../../../lib/json-pointer.ts';
import { splitList, toClusterInput, type TopologyFormValues } from './form-model.ts';

/** Errors not tied to one field are shown at the top of the form. */
export const FORM_ERROR_KEY = '_form';

const TOP_FIELDS: Record<string, string> = {
  name: 'name',
  serviceCidr: 'serviceCidr',
  clusterDomain: 'clusterDomain',
  keyAlgorithm: 'keyAlgorithm',
  caValidityHours: 'caValidity',
  certValidityHours: 'certValidity',
  apiServerPort: 'apiServerPort',
  kubeconfigClusterName: 'kubeconfigClusterName',
  generateConfigFiles: 'generateConfigFiles',
  expiryWarningDays: 'expiryWarningDays',
  expiryCriticalDays: 'expiryCriticalDays',
};
const NODE_FIELDS: Record<string, string> = { name: 'name', role: 'role', addresses: 'addresses' };
const SSH_FIELDS: Record<string, string> = {
  host: 'sshHost',
  port: 'sshPort',
  user: 'sshUser',
  remoteDir: 'sshRemoteDir',
  hostKey: 'sshHost',
};
const SUBJECT_FIELDS = new Set(['C', 'ST', 'L', 'OU']);

/** "/nodes/1/ssh/port" -> "nodes.1.sshPort"; unknown paths -> the nearest section, or "_form". */
export function fieldKeyForPointer(pointer: string, values: Pick<TopologyFormValues, 'nodes' | 'extraSans'>): string {
  const [head, ...rest] = parsePointer(pointer);
  if (head === undefined) return FORM_ERROR_KEY;
  if (head in TOP_FIELDS) return TOP_FIELDS[head];
  if (head === 'subject') return rest[0] && SUBJECT_FIELDS.has(rest[0]) ? `subject.${rest[0]}` : 'subject';
  if (head === 'nodes') {
    const [index, field, sub] = rest;
    if (index === undefined || !/^\d+$/.test(index) || Number(index) >= values.nodes.length) return 'nodes';
    if (field === 'ssh') return `nodes.${index}.${(sub && SSH_FIELDS[sub]) || 'sshHost'}`;
    return `nodes.${index}.${(field && NODE_FIELDS[field]) || 'name'}`;
  }
  if (head === 'extraSans') {
    const certificate = rest[0];
    const row = certificate === undefined ? -1 : values.extraSans.findIndex((r) => r.certificate.trim() === certificate);
    return row >= 0 ? `extraSans.${row}.values` : 'extraSans';
  }
  return FORM_ERROR_KEY;
}

/** The value a pointer into an address or SAN list names, to say which entry is wrong. */
function listEntry(pointer: string, values: TopologyFormValues): string | undefined {
  const [head, a, b, c] = parsePointer(pointer);
  if (head === 'nodes' && b === 'addresses' && c !== undefined) return splitList(values.nodes[Number(a)]?.addresses ?? '')[Number(c)];
  if (head === 'extraSans' && a !== undefined && b !== undefined) {
    const row = values.extraSans.filter((r) => r.certificate.trim() === a).flatMap((r) => splitList(r.values));
    return row[Number(b)];
  }
  return undefined;
}

/** Issues -> { fieldKey: "message; message" } */
export function issuesToFormErrors(issues: FieldIssue[], values: TopologyFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const key = fieldKeyForPointer(issue.path, values);
    const entry = listEntry(issue.path, values);
    const message = entry && !issue.message.includes(entry) ? `${entry}: ${issue.message}` : issue.message;
    errors[key] = errors[key] && !errors[key].split('; ').includes(message) ? `${errors[key]}; ${message}` : errors[key] ?? message;
  }
  return errors;
}

/**
 * The problems of the form's values exactly as the server will judge them: the shared
 * checkCluster (the ClusterInput schema, then every rule of validateCluster). Messages drop the
 * JSON pointer they start with: they are shown beside the field it names.
 */
export function topologyIssues(values: TopologyFormValues): FieldIssue[] {
  const result = checkCluster(toClusterInput(values));
  if (result.ok) return [];
  return result.issues.map((i) => ({ ...i, message: i.path && i.message.startsWith(`${i.path} `) ? i.message.slice(i.path.length + 1) : i.message }));
}

/** The validate function of the form: the server's rules, keyed by field. */
export const validateTopology = (values: TopologyFormValues) => issuesToFormErrors(topologyIssues(values), values);
