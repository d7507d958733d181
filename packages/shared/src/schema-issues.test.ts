import { expect, test } from 'vitest';
import Type from 'typebox';
import { Settings } from 'typebox/system';
import { pointerSegment, schemaIssues } from './schema-issues.ts';

const Row = Type.Object({ n: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });

test('reports more than TypeBox\'s default 8 errors and restores the global setting', () => {
  const before = Settings.Get().maxErrors;
  const issues = schemaIssues(Type.Array(Row), Array.from({ length: 20 }, () => ({ n: -1 })));
  expect(issues).toHaveLength(20);
  expect(issues[19]).toEqual({ path: '/19/n', code: 'VALIDATION_FAILED', message: '/19/n must be >= 0; use a value >= 0' });
  expect(Settings.Get().maxErrors).toBe(before);
});

test('a valid value has no issue; an unknown property is reported once, at its path', () => {
  expect(schemaIssues(Row, { n: 1 })).toEqual([]);
  expect(schemaIssues(Row, { n: 1, x: 2 })).toEqual([
    { path: '/x', code: 'VALIDATION_FAILED', message: 'the body has an unknown property "x"; remove it' },
  ]);
});

test('pointerSegment escapes ~ and / (RFC 6901)', () => {
  expect(pointerSegment('a/b~c')).toBe('a~1b~0c');
  expect(pointerSegment(3)).toBe('3');
});
