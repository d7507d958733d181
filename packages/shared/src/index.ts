export * from './plan.ts';
export * from './api/cluster.ts';
export * from './api/certificate.ts';
export * from './api/errors.ts';
export * from './api/jobs.ts';
export * from './api/nodes.ts';
