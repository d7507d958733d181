/** Plain download links (rendered as <a href download>, never fetched into the page). */
import { apiUrl, seg } from './client.ts';

export const downloadUrls = {
  certPem: (cluster: string, name: string) => apiUrl(`/clusters/${seg(cluster)}/certificates/${seg(name)}/cert.pem`),
  keyPem: (cluster: string, name: string) => apiUrl(`/clusters/${seg(cluster)}/certificates/${seg(name)}/key.pem`),
  bundle: (cluster: string, node?: string) => apiUrl(`/clusters/${seg(cluster)}/bundle.tar.gz`, { node }),
  kubeconfig: (cluster: string, name: string) => apiUrl(`/clusters/${seg(cluster)}/kubeconfigs/${seg(name)}`),
};

/** URL of a job's Server-Sent Events stream. */
export const jobEventsUrl = (id: string) => apiUrl(`/jobs/${seg(id)}/events`);
