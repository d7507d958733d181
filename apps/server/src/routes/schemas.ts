/** Small schemas shared by the route files (path parameters and common answers). */
import Type from 'typebox';
import { RESOURCE_NAME_PATTERN } from '@kpki/shared';

const name = Type.String({ minLength: 1, maxLength: 253, pattern: RESOURCE_NAME_PATTERN });
export const ClusterParams = Type.Object({ cluster: name });
export const CertParams = Type.Object({ cluster: name, name });
export const NodeParams = Type.Object({ cluster: name, node: name });
export const JobParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
/** the 202 answer of a request that starts a job (the shared schema) */
export { JobAccepted } from '@kpki/shared';
