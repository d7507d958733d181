/**
 * TypeBox schema errors as ValidationIssues (code VALIDATION_FAILED): one issue per problem,
 * at the JSON pointer of the offending value, with a message that says how to fix it.
 */
import type { TSchema } from 'typebox';
import { Settings } from 'typebox/system';
import { Value } from 'typebox/value';
import type { ValidationIssue } from './cluster.ts';

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/**
 * Errors buffered per check. TypeBox keeps 8 by default (a global setting), which a single bad
 * union literal (one error per variant) nearly exhausts; schemaIssues raises it to this bound
 * for the duration of its own synchronous call only, then restores it.
 */
export const MAX_SCHEMA_ERRORS = 64;

function collectErrors(schema: TSchema, value: unknown): SchemaError[] {
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: Math.max(previous, MAX_SCHEMA_ERRORS) });
  try {
    return Value.Errors(schema, value) as unknown as SchemaError[];
  } finally {
    Settings.Set({ maxErrors: previous });
  }
}

/** Escapes one JSON pointer segment (RFC 6901): "~" -> "~0", "/" -> "~1". */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

function where(path: string): string {
  return path === '' ? 'the body' : path;
}

function fixFor(error: SchemaError): string {
  const limit = error.params.limit;
  switch (error.keyword) {
    case 'type': return `give a value of type ${String(error.params.type)}`;
    case 'minLength': return `use at least ${String(limit)} character(s)`;
    case 'maxLength': return `use at most ${String(limit)} character(s)`;
    case 'minItems': return `give at least ${String(limit)} item(s)`;
    case 'maxItems': return `give at most ${String(limit)} item(s)`;
    case 'minimum': return `use a value >= ${String(limit)}`;
    case 'maximum': return `use a value <= ${String(limit)}`;
    default: return 'correct this value';
  }
}

/**
 * Every error of `Value.Errors(schema, value)` as an issue, or [] when the value matches.
 * Unions of literals become one issue listing the allowed values; missing and unknown
 * properties get one issue each, at the property's own path. At most MAX_SCHEMA_ERRORS raw
 * errors are read, so a very broken body yields a partial list.
 */
export function schemaIssues(schema: TSchema, value: unknown): ValidationIssue[] {
  if (Value.Check(schema, value)) return [];
  const errors = collectErrors(schema, value);
  const allowed = new Map<string, string[]>();
  for (const error of errors) {
    if (error.keyword === 'const') {
      const list = allowed.get(error.instancePath) ?? [];
      list.push(JSON.stringify(error.params.allowedValue));
      allowed.set(error.instancePath, list);
    }
  }
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => {
    if (!issues.some((i) => i.path === path && i.message === message)) {
      issues.push({ path, code: 'VALIDATION_FAILED', message });
    }
  };
  for (const error of errors) {
    const path = error.instancePath;
    switch (error.keyword) {
      case 'const':
      case 'boolean': // "schema is false": reported by its additionalProperties error
        break;
      case 'anyOf':
        add(path, allowed.has(path)
          ? `${where(path)} must be one of ${allowed.get(path)!.join(', ')}; pick one of them`
          : `${where(path)} ${error.message}; correct this value`);
        break;
      case 'required':
        for (const name of (error.params.requiredProperties as string[] | undefined) ?? []) {
          add(`${path}/${pointerSegment(name)}`, `${where(path)} lacks the required property "${name}"; add it`);
        }
        break;
      case 'additionalProperties':
        for (const name of (error.params.additionalProperties as string[] | undefined) ?? []) {
          add(`${path}/${pointerSegment(name)}`, `${where(path)} has an unknown property "${name}"; remove it`);
        }
        break;
      default:
        add(path, `${where(path)} ${error.message}; ${fixFor(error)}`);
    }
  }
  if (issues.length === 0) add('', 'the body does not match the schema; compare it with the API documentation');
  return issues;
}
