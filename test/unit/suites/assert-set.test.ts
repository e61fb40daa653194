/** promptfoo's `assert-set` in a suite: its members planned as assertions, grouped. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSuite, planSuite } from '../../../src/suites/index.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir('pcs-assert-set-');
after(() => dir.remove());

describe('assert-set', () => {
  it('plans its members (file:// javascript read) as one stored set with its threshold', async () => {
    writeFileSync(join(dir.path, 'check.js'), 'output.length > 2');
    const path = join(dir.path, 'set.yaml');
    writeFileSync(
      path,
      [
        'prompts: [hi]',
        'providers: [simulated:fast]',
        'tests:',
        '  - assert:',
        '      - {type: equals, value: x}',
        '      - type: assert-set',
        '        threshold: 0.5',
        '        weight: 2',
        '        metric: quality',
        '        assert:',
        '          - {type: javascript, value: file://check.js, metric: js}',
        '          - {type: icontains, value: hi}',
      ].join('\n'),
    );
    const [test] = planSuite(await loadSuite(path)).tests;
    assert.deepEqual(test?.assertions, [
      { type: 'equals', value: 'x' },
      {
        type: 'assert-set',
        assert: [
          { type: 'javascript', value: 'output.length > 2', metric: 'js' },
          { type: 'icontains', value: 'hi' },
        ],
        weight: 2,
        metric: 'quality',
        threshold: 0.5,
      },
    ]);
  });
});
