/** GET /clusters/{cluster}/certificates/{name}/check?address=: would a client dialing this address accept the certificate? */
import { useMutation } from '@tanstack/react-query';
import type { AddressCheck } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';

export const checkAddress = (cluster: string, name: string, address: string) =>
  apiFetch<AddressCheck>(`/clusters/${seg(cluster)}/certificates/${seg(name)}/check`, {}, { address });

/** A mutation, not a query: it runs when the operator submits the form. */
export const useCheckAddress = (cluster: string, name: string) =>
  useMutation({ mutationFn: (address: string) => checkAddress(cluster, name, address) });
