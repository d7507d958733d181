import { describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, keyDownloadOffer, NO_PERMISSIONS, nodeBundleHasCaKey, parseRole, permissionsFor, permissionsFromSession } from './permissions.ts';

describe('permissionsFor', () => {
  it('admin may do everything, the CA key included', () => {
    expect(permissionsFor('admin')).toEqual({ signInEnabled: true, role: 'admin', canOperate: true, canDownloadKeys: true, canDownloadCaKey: true, canAdmin: true });
  });

  it('operator operates and downloads leaf keys, never the CA key, no admin pages', () => {
    expect(permissionsFor('operator')).toEqual({ signInEnabled: true, role: 'operator', canOperate: true, canDownloadKeys: true, canDownloadCaKey: false, canAdmin: false });
  });

  it('viewer only reads: no writes, no key downloads', () => {
    expect(permissionsFor('viewer')).toEqual({ signInEnabled: true, role: 'viewer', canOperate: false, canDownloadKeys: false, canDownloadCaKey: false, canAdmin: false });
  });

  it('an unknown role gets no more than a viewer; no role gets nothing', () => {
    expect(parseRole('superuser')).toBe('viewer');
    expect(permissionsFor('superuser')).toEqual(permissionsFor('viewer'));
    expect(permissionsFor(null)).toBe(NO_PERMISSIONS);
    expect(permissionsFor('')).toBe(NO_PERMISSIONS);
  });
});

describe('permissionsFromSession', () => {
  it('nothing while the session is unknown or nobody is signed in', () => {
    expect(permissionsFromSession(undefined)).toBe(NO_PERMISSIONS);
    expect(permissionsFromSession({ signInEnabled: true, user: null })).toBe(NO_PERMISSIONS);
  });

  it("the user's role when signed in", () => {
    expect(permissionsFromSession({ signInEnabled: true, user: { role: 'operator' } }).role).toBe('operator');
    expect(permissionsFromSession({ signInEnabled: true, user: { role: 'operator' } }).canDownloadCaKey).toBe(false);
  });

  it('everything on a server without sign-in', () => {
    expect(permissionsFromSession({ signInEnabled: false, user: null })).toBe(ALL_PERMISSIONS);
  });
});

describe('keyDownloadOffer', () => {
  const cases: Array<[string, boolean, string]> = [
    ['admin', true, 'reauth'],
    ['admin', false, 'link'],
    ['operator', true, 'hidden'],
    ['operator', false, 'link'],
    ['viewer', true, 'hidden'],
    ['viewer', false, 'hidden'],
  ];
  it.each(cases)('%s, holds the CA key: %s -> %s', (role, caKey, offer) => {
    expect(keyDownloadOffer(permissionsFor(role), caKey)).toBe(offer);
  });

  it('a server without sign-in links the CA key directly (it has no password re-entry)', () => {
    expect(keyDownloadOffer(ALL_PERMISSIONS, true)).toBe('link');
  });

  it('control-plane bundles hold the CA key, workers and load balancers do not', () => {
    expect(nodeBundleHasCaKey('control-plane')).toBe(true);
    expect(nodeBundleHasCaKey('worker')).toBe(false);
    expect(nodeBundleHasCaKey('load-balancer')).toBe(false);
  });
});
