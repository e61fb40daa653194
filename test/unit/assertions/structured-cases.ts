/**
 * Rows of assertion-kinds.test.ts's table for promptfoo's structured-output kinds: each kind's
 * spec, an output that passes, one that fails, and a value refused when written.
 */
export const structuredCases: {
  spec: Record<string, unknown>;
  pass: string;
  fail: string;
  bad: Record<string, unknown>;
}[] = [
  {
    spec: { type: 'contains-json', value: { type: 'object', required: ['city'] } },
    pass: 'Here you go: {"city": "Oslo"} — enjoy.',
    fail: 'Here you go: {"town": "Oslo"}',
    bad: { type: 'contains-json', value: { type: 'strang' } },
  },
  {
    spec: { type: 'is-xml', value: 'note.to' },
    pass: '<note><to>Ada</to></note>',
    fail: '<note><to>Ada</note>',
    bad: { type: 'is-xml', value: { elements: ['note'] } },
  },
  {
    spec: { type: 'contains-xml', value: { requiredElements: ['note.to'] } },
    pass: 'The note: <note><to>Ada</to></note>',
    fail: 'The note: <note><from>Ada</from></note>',
    bad: { type: 'contains-xml', value: 7 },
  },
  {
    spec: { type: 'is-sql', value: { databaseType: 'PostgreSQL' } },
    pass: 'SELECT name FROM users WHERE id = 1',
    fail: 'SELECT name FROM WHERE',
    bad: { type: 'is-sql', value: { databaseType: 'Oracle' } },
  },
  {
    spec: { type: 'contains-sql' },
    pass: 'The query:\n```sql\nSELECT name FROM users\n```',
    fail: 'I cannot write that query.',
    bad: { type: 'contains-sql', value: 'MySQL' },
  },
  {
    spec: { type: 'is-html' },
    pass: '<section><h1>Title</h1><p>Body</p></section>',
    fail: 'Just some text',
    bad: { type: 'is-html', value: 'yes' },
  },
  {
    spec: { type: 'word-count', value: { min: 2, max: 4 } },
    pass: 'three short words',
    fail: 'one',
    bad: { type: 'word-count', value: { min: 5, max: 1 } },
  },
  {
    spec: { type: 'tool-call-f1', value: ['get_weather'] },
    pass: '[{"type":"function","function":{"name":"get_weather","arguments":"{}"}}]',
    fail: '[{"type":"function","function":{"name":"get_time","arguments":"{}"}}]',
    bad: { type: 'tool-call-f1', value: [] },
  },
];
