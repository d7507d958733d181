import { describe, expect, test } from 'vitest';
import { judgeFile, modeReason, nodeStateOf, sentenceTime, type KnownContent } from './drift.ts';

const known: Record<string, KnownContent> = {
  old: { file: 'worker1.pem', serial: '1f2e', current: false, supersededAt: '2026-12-02T04:12:33.000Z' },
  proxy: { file: 'kube-proxy.pem', serial: 'aa01', current: true, supersededAt: null },
  oldProxy: { file: 'kube-proxy.pem', serial: 'aa00', current: false, supersededAt: '2026-11-01T00:00:00.000Z' },
  now: { file: 'worker1.pem', serial: '2b3c', current: true, supersededAt: null },
  oldKubeconfig: { file: 'worker1.kubeconfig', serial: null, current: false, supersededAt: '2026-12-02T04:12:33.000Z' },
  oldProxyKubeconfig: { file: 'kube-proxy.kubeconfig', serial: null, current: false, supersededAt: '2026-12-02T04:12:33.000Z' },
};
const identify = (sha: string) => known[sha] ?? null;
const cert = { file: 'worker1.pem', mode: 0o644, sha256: 'now' };
const key = { file: 'worker1-key.pem', mode: 0o600, sha256: 'k' };

describe('judgeFile', () => {
  test('the expected content with the expected mode is in sync', () => {
    expect(judgeFile(cert, { sha256: 'now', mode: 0o644 }, identify)).toEqual({ state: 'in-sync', reason: null });
  });
  test('absent is missing; never looked at is unknown', () => {
    expect(judgeFile(cert, null, identify)).toEqual({ state: 'missing', reason: { message: 'worker1.pem is not on the node' } });
    expect(judgeFile(cert, undefined, identify).state).toBe('unknown');
  });
  test('an earlier version of the same file is stale, with its serial and when it was superseded', () => {
    expect(judgeFile(cert, { sha256: 'old', mode: 0o644 }, identify)).toEqual({
      state: 'stale',
      reason: { message: 'an earlier version of worker1.pem (serial 1f2e, superseded 2026-12-02 04:12 UTC)', serial: '1f2e', supersededAt: '2026-12-02T04:12:33.000Z' },
    });
  });
  test('another kpki file is foreign and named; an earlier version of another file too', () => {
    expect(judgeFile(cert, { sha256: 'proxy', mode: 0o644 }, identify)).toEqual({
      state: 'foreign', reason: { message: 'this is kube-proxy.pem, not worker1.pem', is: 'kube-proxy.pem' },
    });
    expect(judgeFile(cert, { sha256: 'oldProxy', mode: 0o644 }, identify).reason).toEqual({
      message: 'this is kube-proxy.pem (an earlier version, serial aa00), not worker1.pem', is: 'kube-proxy.pem',
    });
  });
  test('an earlier version of a generated file (no serial) is stale with when it was superseded; of another one foreign', () => {
    const kubeconfig = { file: 'worker1.kubeconfig', mode: 0o600, sha256: 'kNow' };
    expect(judgeFile(kubeconfig, { sha256: 'oldKubeconfig', mode: 0o600 }, identify)).toEqual({
      state: 'stale',
      reason: { message: 'an earlier version of worker1.kubeconfig (superseded 2026-12-02 04:12 UTC)', supersededAt: '2026-12-02T04:12:33.000Z' },
    });
    expect(judgeFile(kubeconfig, { sha256: 'oldProxyKubeconfig', mode: 0o600 }, identify).reason).toEqual({
      message: 'this is kube-proxy.kubeconfig (an earlier version), not worker1.kubeconfig', is: 'kube-proxy.kubeconfig',
    });
  });
  test('content kpki never issued is foreign without a name', () => {
    expect(judgeFile(cert, { sha256: 'zzz', mode: 0o644 }, identify)).toEqual({ state: 'foreign', reason: { message: 'worker1.pem holds content kpki never issued' } });
  });
  test('the right content with a wrong mode is mode; for a key it is a security problem', () => {
    expect(judgeFile(key, { sha256: 'k', mode: 0o644 }, identify)).toEqual({
      state: 'mode', reason: { message: 'worker1-key.pem is 0644: readable by every user on the node; expected 0600', security: true },
    });
  });
  test('not issued yet: nothing on the node matches', () => {
    expect(judgeFile({ ...cert, sha256: '' }, { sha256: 'zzz', mode: 0o644 }, identify).state).toBe('foreign');
  });
});

describe('modeReason', () => {
  test('keys: group or others reading is a security problem', () => {
    expect(modeReason('a-key.pem', 0o640, 0o600)).toEqual({ message: "a-key.pem is 0640: readable by the file's group; expected 0600", security: true });
    expect(modeReason('a-key.pem', 0o400, 0o600)).toEqual({ message: 'a-key.pem is 0400; expected 0600', security: false });
  });
  test('certificates: writable by others is a security problem; not readable by others is not', () => {
    expect(modeReason('a.pem', 0o666, 0o644)).toEqual({ message: 'a.pem is 0666: writable by every user on the node; expected 0644', security: true });
    expect(modeReason('a.pem', 0o600, 0o644)).toEqual({ message: 'a.pem is 0600: components running as another user may not read it; expected 0644', security: false });
  });
});

test('a node is as bad as its worst file', () => {
  expect(nodeStateOf(['in-sync', 'missing', 'stale'])).toBe('stale');
  expect(nodeStateOf(['stale', 'mode'])).toBe('mode');
  expect(nodeStateOf(['mode', 'foreign'])).toBe('foreign');
  expect(nodeStateOf(['in-sync', 'unknown'])).toBe('not-checked');
  expect(nodeStateOf(['in-sync'])).toBe('in-sync');
  expect(nodeStateOf([])).toBe('in-sync');
});

test('sentences carry readable times, not ISO strings', () => {
  expect(sentenceTime('2026-01-05T09:03:59.999Z')).toBe('2026-01-05 09:03 UTC');
});
