import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { PermissionsProvider } from '../../components/permissions.tsx';
import { NO_PERMISSIONS } from '../../lib/permissions.ts';
import { asRole, renderWithRouter } from '../../test/render.tsx';
import { AppNav } from './app-nav.tsx';

const present = (id: string) => screen.queryByTestId(id) !== null;

describe('AppNav', () => {
  it('admins get Users and Audit', async () => {
    renderWithRouter(asRole('admin', <AppNav onNavigate={() => {}} />));
    await screen.findByTestId('nav-clusters');
    expect(screen.getByTestId('nav-users').getAttribute('href')).toBe('/users');
    expect(screen.getByTestId('nav-audit').getAttribute('href')).toBe('/audit');
    expect(screen.getByTestId('nav-users').textContent).toBe('Users');
    expect(screen.getByTestId('nav-audit').textContent).toBe('Audit');
    expect(present('nav-account')).toBe(true);
  });

  it.each(['operator', 'viewer'] as const)('%s: no Users, no Audit, but the account page', async (role) => {
    renderWithRouter(asRole(role, <AppNav onNavigate={() => {}} />));
    await screen.findByTestId('nav-clusters');
    expect(present('nav-users')).toBe(false);
    expect(present('nav-audit')).toBe(false);
    expect(present('nav-account')).toBe(true);
  });

  it('signed out: no user pages at all', async () => {
    renderWithRouter(
      <PermissionsProvider value={NO_PERMISSIONS}>
        <AppNav onNavigate={() => {}} />
      </PermissionsProvider>,
    );
    await screen.findByTestId('nav-clusters');
    expect(present('nav-users') || present('nav-audit') || present('nav-account')).toBe(false);
  });
});
