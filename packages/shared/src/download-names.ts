/** The file names of downloads: the server's Content-Disposition and the page's buttons say the same name. Pure. */

/** "hard-way-certs.tar.gz" (every node's files), "hard-way-worker1-certs.tar.gz" (one node's). */
export const bundleFileName = (cluster: string, node?: string | null): string => `${cluster}${node ? `-${node}` : ''}-certs.tar.gz`;
