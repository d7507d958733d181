/** The filters of each table page kept in its URL with the search, sort and page (lib/table-query.ts); routes validate them. */
export const NODE_TABLE_KEYS = ['state', 'role'] as const;
export const CERTIFICATE_TABLE_KEYS = ['status', 'expiry'] as const;
export const JOB_TABLE_KEYS = ['kind', 'status'] as const;
export const EXPIRY_TABLE_KEYS = ['state', 'where'] as const;

/** The newest jobs the jobs page reads. */
export const JOBS_SHOWN = 200;
