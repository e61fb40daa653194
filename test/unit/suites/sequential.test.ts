/**
 * promptfoo's turns (suites/sequential.ts): what a `_conversation` turn holds for a chat and a
 * text prompt, and how stored answers and turns reach a rendered prompt.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conversationTurn, readsConversation, renderTurn } from '../../../src/suites/index.js';

describe('conversation turns', () => {
  it('keeps a chat prompt parsed, its last message content as input', () => {
    const rendered = '[{"role":"system","content":"s"},{"role":"user","content":"q1"}]';
    assert.deepEqual(conversationTurn(rendered, 'a1'), {
      prompt: [
        { role: 'system', content: 's' },
        { role: 'user', content: 'q1' },
      ],
      input: 'q1',
      output: 'a1',
    });
  });

  it('keeps a text prompt as text, and an answerless call as empty output', () => {
    assert.deepEqual(conversationTurn('Say hi', null), {
      prompt: 'Say hi',
      input: 'Say hi',
      output: '',
    });
  });

  it('finds _conversation only as a name', () => {
    assert.equal(readsConversation('{% for t in _conversation %}{% endfor %}'), true);
    assert.equal(readsConversation('{{ my_conversation }}'), false);
  });
});

describe('rendering a turn', () => {
  const test = { rawVars: { q: 'Why {{fruit}}?', fruit: 'pear' }, disableConversationVar: false };

  it('lays stored answers over the vars before expanding vars that reference vars', () => {
    const turn = renderTurn('Q: {{q}}', test, { fruit: 'mango' }, []);
    assert.equal(turn.prompt, 'Q: Why mango?');
    assert.deepEqual(turn.vars, { q: 'Why mango?', fruit: 'mango' });
  });

  it('gives the template the earlier turns, unless the test disables them', () => {
    const template = '{% for t in _conversation %}[{{t.input}}>{{t.output}}]{% endfor %}{{q}}';
    const earlier = [conversationTurn('Hi', 'hello')];
    assert.equal(renderTurn(template, test, {}, earlier).prompt, '[Hi>hello]Why pear?');
    assert.equal(
      renderTurn(template, { ...test, disableConversationVar: true }, {}, earlier).prompt,
      'Why pear?',
    );
  });

  it('renders an index into a text input as promptfoo does: empty', () => {
    // promptfoo's multi-turn example reads input as a list; input is the last message's text.
    const template =
      '{% for t in _conversation %}({{ t.input[t.input.length - 1].content }}){% endfor %}';
    const earlier = [conversationTurn('[{"role":"user","content":"q1"}]', 'a1')];
    assert.equal(renderTurn(template, test, {}, earlier).prompt, '()');
  });
});
