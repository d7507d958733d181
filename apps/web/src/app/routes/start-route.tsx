import { useNavigate } from '@tanstack/react-router';
import { StartPage } from '../../features/clusters/components/start-page.tsx';

export function StartRoute() {
  const navigate = useNavigate();
  return <StartPage onCreated={(c) => navigate({ to: '/clusters/$cluster', params: { cluster: c.name }, search: {} })} />;
}
