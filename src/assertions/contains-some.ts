/**
 * promptfoo's `contains-any`, `contains-all`, `icontains-any`, `icontains-all`: the value is a
 * list of texts (or one text of comma-separated items, as promptfoo splits it).
 */
import { z } from 'zod';
import { binary, defineAssertion, excerpt } from './assertion.js';

const items = z
  .union([z.array(z.union([z.string(), z.number()])).min(1), z.string().min(1)], {
    error: 'must be a list of texts or a comma-separated text',
  })
  .transform((v) =>
    (Array.isArray(v) ? v.map(String) : v.split(',').map((s) => s.trim())).filter((s) => s !== ''),
  );

function define(type: string, all: boolean, ignoreCase: boolean) {
  const norm = (s: string) => (ignoreCase ? s.toLocaleLowerCase() : s);
  return defineAssertion({
    type,
    description: `Output contains ${all ? 'every one' : 'at least one'} of the values${ignoreCase ? ', ignoring case' : ''}`,
    valueSchema: items,
    evaluate(value: string[], _threshold, { output }) {
      const text = norm(output);
      const found = value.filter((v) => text.includes(norm(v)));
      const pass = all ? found.length === value.length : found.length > 0;
      const missing = value.filter((v) => !found.includes(v));
      return binary(
        pass,
        pass
          ? `Output contains ${found.map((f) => excerpt(f, 30)).join(', ')}`
          : `Output lacks ${(all ? missing : value).map((f) => excerpt(f, 30)).join(', ')}`,
      );
    },
  });
}

export const containsAny = define('contains-any', false, false);
export const containsAll = define('contains-all', true, false);
export const icontainsAny = define('icontains-any', false, true);
export const icontainsAll = define('icontains-all', true, true);
