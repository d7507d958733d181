/** /users and /audit (admins), /account (everyone): a lazy chunk. */
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { usePermissions } from '../../components/permissions.tsx';
import { EmptyState } from '../../components/query-state.tsx';
import { AuditPage } from '../../features/audit/components/audit-page.tsx';
import { useSession } from '../../features/session/api/get-session.ts';
import { AccountPage } from '../../features/session/components/account-page.tsx';
import { TokensSection } from '../../features/users/components/tokens-section.tsx';
import { UsersPage } from '../../features/users/components/users-page.tsx';

function AdminsOnly({ what }: { what: string }) {
  const { role } = usePermissions();
  return (
    <div data-testid="admins-only">
      <EmptyState title={`${what} are for admins`}>Your role{role ? ` (${role})` : ''} cannot see this page: ask an admin.</EmptyState>
    </div>
  );
}

export function UsersRoute() {
  const { canAdmin } = usePermissions();
  const me = useSession().data?.user ?? null;
  if (!canAdmin) return <AdminsOnly what="Users" />;
  return <UsersPage me={me} />;
}

const auditApi = getRouteApi('/audit');

export function AuditRoute() {
  const { canAdmin } = usePermissions();
  const filter = auditApi.useSearch();
  const navigate = useNavigate();
  if (!canAdmin) return <AdminsOnly what="The audit log and backups" />;
  return <AuditPage filter={filter} onFilterChange={(f) => navigate({ to: '/audit', search: f, replace: true })} />;
}

export function AccountRoute() {
  const navigate = useNavigate();
  return (
    <AccountPage
      onPasswordChanged={() => navigate({ to: '/sign-in', search: { reason: 'password-changed' } })}
      tokens={(username) => <TokensSection me={username} onlyMine />}
    />
  );
}
