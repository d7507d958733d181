/** GET /users (admin): every user, by name. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import type { User } from './types.ts';

export const getUsers = () => apiFetch<{ items: User[] }>('/users').then((r) => r.items);

export const usersQueryOptions = () => queryOptions({ queryKey: queryKeys.users(), queryFn: getUsers });

export const useUsers = () => useQuery(usersQueryOptions());
