import { expect, test } from 'vitest';
import { Value } from 'typebox/value';
import { AUDIT_OUTCOMES, AuditCounts, AuditFilterSchema } from './api/auth.ts';
import { auditOutcome } from './audit-words.ts';

test('a result reads as ok, denied (every status a refusal: 401, 403, 429) or failed', () => {
  expect(auditOutcome('ok')).toBe('ok');
  for (const r of ['failed (401)', 'failed (403)', 'failed (429)', 'failed (401, 429)', 'failed (429, 403, 401)']) expect(auditOutcome(r), r).toBe('denied');
  for (const r of ['failed (409)', 'failed (500)', 'failed (400)', 'failed (401, 404)', 'failed (4011)', 'failed ()', 'failed', 'OK', 'FAILED (401)', '']) {
    expect(auditOutcome(r), r).toBe('failed');
  }
  expect(AUDIT_OUTCOMES).toEqual(['ok', 'denied', 'failed']);
});

test('the audit filter takes a search of up to 200 characters and a result of the three', () => {
  expect(Value.Check(AuditFilterSchema, { q: '100%_full worker7', result: 'denied', actor: 'admin' })).toBe(true);
  for (const result of AUDIT_OUTCOMES) expect(Value.Check(AuditFilterSchema, { result })).toBe(true);
  expect(Value.Check(AuditFilterSchema, { result: 'refused' })).toBe(false);
  expect(Value.Check(AuditFilterSchema, { result: 'failed (401)' })).toBe(false);
  expect(Value.Check(AuditFilterSchema, { q: '' })).toBe(false);
  expect(Value.Check(AuditFilterSchema, { q: 'x'.repeat(200) })).toBe(true);
  expect(Value.Check(AuditFilterSchema, { q: 'x'.repeat(201) })).toBe(false);
});

test('the counts hold a total and a number per result', () => {
  expect(Value.Check(AuditCounts, { total: 4, byResult: { ok: 2, denied: 1, failed: 1 } })).toBe(true);
  expect(Value.Check(AuditCounts, { total: 4, byResult: { ok: 2, denied: 1 } })).toBe(false);
});
