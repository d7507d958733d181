import { describe, expect, test } from 'vitest';
import { SshError } from './errors.ts';
import { checkFileName, resolveRemoteDir } from './paths.ts';

const HOME = '/home/kpki';

describe('resolveRemoteDir', () => {
  test.each([
    [undefined, HOME],
    ['', HOME],
    ['~', HOME],
    ['~/', HOME],
    ['~/pki', `${HOME}/pki`],
    ['~/a//b/./c/', `${HOME}/a/b/c`],
    ['/etc/kubernetes/pki', '/etc/kubernetes/pki'],
  ])('%j -> %s', async (input, expected) => {
    expect(await resolveRemoteDir(input, HOME)).toBe(expected);
  });

  test.each(['pki', '..', '~/..', '/etc/../root', 'a/../../b', '~root/x', 'a\nb', 'a\0b', '/', '/etc', '//etc/', '/usr/bin', '~/.ssh'])('%j is refused', async (input) => {
    const err = await resolveRemoteDir(input, HOME, 'cp1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshError);
    expect((err as SshError).code).toBe('SSH_NOT_CONFIGURED');
    expect((err as SshError).message).toContain('cp1');
    expect((err as SshError).node).toBe('cp1');
  });

  test('the home folder is only looked up when needed', async () => {
    let asked = 0;
    const home = async () => (asked++, HOME);
    expect(await resolveRemoteDir('/abs', home)).toBe('/abs');
    expect(asked).toBe(0);
    await expect(resolveRemoteDir('~/..', home)).rejects.toThrow(SshError);
    expect(asked).toBe(0);
    expect(await resolveRemoteDir('~/x', home)).toBe(`${HOME}/x`);
    expect(asked).toBe(1);
  });
});

describe('checkFileName', () => {
  test('plain names pass, paths and specials do not', () => {
    expect(() => checkFileName('ca-key.pem', 'n')).not.toThrow();
    for (const bad of ['', '.', '..', 'a/b', '/x', 'a\nb', 'x'.repeat(256)]) {
      expect(() => checkFileName(bad, 'n'), bad).toThrow(SshError);
    }
  });
});

describe('SshError', () => {
  test('carries code, node and path', () => {
    const e = new SshError('SSH_WRITE_FAILED', 'cannot write', { node: 'w1', path: '/x', cause: new Error('inner') });
    expect(e).toBeInstanceOf(Error);
    expect([e.code, e.node, e.path, e.name]).toEqual(['SSH_WRITE_FAILED', 'w1', '/x', 'SshError']);
    expect((e.cause as Error).message).toBe('inner');
  });
});
