import { describe, expect, it } from 'vitest';
import type { User } from '@kpki/shared';
import { keyDownloadOffer, NO_PERMISSIONS, parseRole, permissionsFor, permissionsFromSession } from './permissions.ts';

const operator: User = { id: 2, username: 'op', role: 'operator', disabled: false, createdAt: '2026-01-01T00:00:00.000Z' };

describe('permissionsFor', () => {
  it('admin may do everything, the CA key included', () => {
    expect(permissionsFor('admin')).toEqual({ role: 'admin', canOperate: true, canDownloadKeys: true, canDownloadCaKey: true, canAdmin: true });
  });

  it('operator operates and downloads leaf keys, never the CA key, no admin pages', () => {
    expect(permissionsFor('operator')).toEqual({ role: 'operator', canOperate: true, canDownloadKeys: true, canDownloadCaKey: false, canAdmin: false });
  });

  it('viewer only reads: no writes, no key downloads', () => {
    expect(permissionsFor('viewer')).toEqual({ role: 'viewer', canOperate: false, canDownloadKeys: false, canDownloadCaKey: false, canAdmin: false });
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
    expect(permissionsFromSession(null)).toBe(NO_PERMISSIONS);
  });

  it("the user's role when signed in", () => {
    expect(permissionsFromSession({ user: operator }).role).toBe('operator');
    expect(permissionsFromSession({ user: operator }).canDownloadCaKey).toBe(false);
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

  it('outside a signed-in session nothing is offered', () => {
    expect(keyDownloadOffer(NO_PERMISSIONS, true)).toBe('hidden');
    expect(keyDownloadOffer(NO_PERMISSIONS, false)).toBe('hidden');
  });
});
