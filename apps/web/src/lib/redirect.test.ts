import { describe, expect, it } from 'vitest';
import { safeRedirect } from './redirect.ts';

describe('safeRedirect', () => {
  it('keeps paths of the app, with their query', () => {
    expect(safeRedirect('/clusters/lab/certificates?x=1')).toBe('/clusters/lab/certificates?x=1');
    expect(safeRedirect('/')).toBe('/');
  });

  it('refuses other origins, protocol-relative URLs, the sign-in page itself, and junk', () => {
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/sign-in', '/sign-in?redirect=/', 'clusters', '', undefined, 42]) {
      expect(safeRedirect(bad)).toBe('/');
    }
  });
});
