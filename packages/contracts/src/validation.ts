import type { z } from 'zod';
import { translate, type FieldError, type Locale } from './errors';

type Issue = z.core.$ZodIssue & { input?: unknown };

/** Turns zod issues into field errors in the requester's language, naming each field. */
export function fieldErrorsFromIssues(
  issues: readonly Issue[],
  locale: Locale,
  prefix = '',
): FieldError[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const { key, params } = describeIssue(issue);
    return {
      path: path || '(body)',
      code: key.replace(/^field\./, ''),
      message: translate(locale, key, params),
    };
  });
}

function describeIssue(issue: Issue): { key: string; params: Record<string, string | number> } {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return { key: 'field.required', params: {} };
      if (issue.expected === 'int') return { key: 'field.not_integer', params: {} };
      return { key: 'field.invalid_type', params: { expected: issue.expected } };
    case 'too_small': {
      const origin = originOf(issue.origin);
      return { key: `field.too_small.${origin}`, params: { minimum: Number(issue.minimum) } };
    }
    case 'too_big': {
      const origin = originOf(issue.origin);
      return { key: `field.too_big.${origin}`, params: { maximum: Number(issue.maximum) } };
    }
    case 'invalid_value':
      return {
        key: 'field.invalid_value',
        params: { values: issue.values.map(String).join(', ') },
      };
    case 'invalid_format':
      return { key: 'field.invalid_format', params: { format: issue.format } };
    case 'unrecognized_keys':
      return { key: 'field.unrecognized_keys', params: {} };
    case 'invalid_union':
      if (issue.input === undefined) return { key: 'field.required', params: {} };
      return { key: 'field.invalid', params: {} };
    case 'custom': {
      const params = (issue.params ?? {}) as { i18n?: string } & Record<string, string | number>;
      return { key: params.i18n ? `field.${params.i18n}` : 'field.invalid', params };
    }
    default:
      return { key: 'field.invalid', params: {} };
  }
}

function originOf(origin: string): 'string' | 'number' | 'array' {
  if (origin === 'string') return 'string';
  if (origin === 'array' || origin === 'set') return 'array';
  return 'number';
}
