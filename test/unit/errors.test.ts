import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AppError, ERROR_CATALOG, type ErrorCode } from '../../src/errors.js';

describe('error catalog', () => {
  const codes = Object.keys(ERROR_CATALOG) as ErrorCode[];

  it('names every code PCS_ERR_<AREA>_<WHAT>', () => {
    for (const code of codes) assert.match(code, /^PCS_ERR_[A-Z]+_[A-Z_]+$/);
  });

  it('documents every code with its status in docs/errors.md, and nothing else', () => {
    const doc = readFileSync('docs/errors.md', 'utf8');
    for (const code of codes) {
      assert.match(
        doc,
        new RegExp(`\\| \`${code}\`\\s*\\|\\s*${ERROR_CATALOG[code].status}\\s*\\|`),
        code,
      );
    }
    const documented = [...doc.matchAll(/`(PCS_ERR_[A-Z_]+)`/g)].map((m) => m[1]);
    assert.deepEqual(
      documented.filter((code) => !codes.includes(code as ErrorCode)),
      [],
    );
  });

  it('builds the error body with code, message and fields', () => {
    const error = new AppError('PCS_ERR_VALIDATION_FAILED', 'bad', [
      { field: 'title', message: 'is required' },
    ]);
    assert.equal(error.status, 422);
    assert.deepEqual(error.toBody(), {
      error: {
        code: 'PCS_ERR_VALIDATION_FAILED',
        message: 'bad',
        fields: [{ field: 'title', message: 'is required' }],
      },
    });
    assert.deepEqual(new AppError('PCS_ERR_CARD_NOT_FOUND').toBody(), {
      error: { code: 'PCS_ERR_CARD_NOT_FOUND', message: 'No prompt card with this id' },
    });
  });
});
