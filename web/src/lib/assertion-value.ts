/**
 * How each assertion kind's `value` is edited (README: Assertions): text for the string kinds,
 * a number for `latency` (ms) and `cost` (USD), min/max for `length`, JSON for `json-schema`,
 * nothing for `is-json`. Parsing returns an error message instead of throwing.
 */
export type ValueEditor = 'text' | 'number' | 'range' | 'json' | 'none';

const EDITORS: Record<string, ValueEditor> = {
  latency: 'number',
  cost: 'number',
  length: 'range',
  'json-schema': 'json',
  'is-json': 'none',
};

export function valueEditor(type: string): ValueEditor {
  return EDITORS[type] ?? 'text';
}

/** The editable text of a value: for `range`, "min..max" with either side optional. */
export function formatValue(type: string, value: unknown): string {
  switch (valueEditor(type)) {
    case 'none':
      return '';
    case 'json':
      return value === undefined ? '' : JSON.stringify(value, null, 2);
    case 'range': {
      const range = (value ?? {}) as { min?: number; max?: number };
      return `${range.min ?? ''}..${range.max ?? ''}`;
    }
    default:
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        return String(value);
      return value === undefined || value === null ? '' : JSON.stringify(value);
  }
}

export function parseValue(type: string, text: string): { value?: unknown; error?: string } {
  switch (valueEditor(type)) {
    case 'none':
      return {};
    case 'number': {
      const n = Number(text);
      return text.trim() === '' || !Number.isFinite(n)
        ? { error: 'must be a number' }
        : { value: n };
    }
    case 'range': {
      const match = /^\s*(\d*)\s*\.\.\s*(\d*)\s*$/.exec(text);
      if (match === null || (match[1] === '' && match[2] === ''))
        return { error: 'write min..max, e.g. 1..200 or ..200' };
      const value: { min?: number; max?: number } = {};
      if (match[1] !== '') value.min = Number(match[1]);
      if (match[2] !== '') value.max = Number(match[2]);
      return { value };
    }
    case 'json':
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        return { error: 'must be valid JSON' };
      }
    case 'text':
      return { value: text };
  }
}
