/**
 * Sample prompt cards inserted on first start with an empty database (`SEED_SAMPLES=false`
 * turns this off), so a new user has something realistic to run against a model at once.
 */
import type { CardInput, TestCaseInput } from './card-schema.js';
import type { CardStore } from './card-store.js';

interface Sample {
  readonly card: CardInput;
  readonly testCases: readonly TestCaseInput[];
}

const testCase = (
  t: Partial<TestCaseInput> & Pick<TestCaseInput, 'name' | 'input_variables'>,
): TestCaseInput => ({
  expected_output: null,
  assertions: [],
  ...t,
});

export const SAMPLES: readonly Sample[] = [
  {
    card: {
      title: 'Support reply with an empathetic tone',
      description:
        'Drafts a first reply to a customer complaint: apologises, gives a next step, no blame.',
      prompt_template:
        'You are a support agent for {{product}}. Write a short, empathetic reply (under 120 words) to this customer message. Apologise once, give one concrete next step, and never blame the customer.\n\nCustomer: {{message}}',
      tags: ['support', 'tone'],
      pass_rate_threshold: 0.8,
    },
    testCases: [
      testCase({
        name: 'Late delivery',
        input_variables: {
          product: 'ShipFast',
          message: 'My order is two weeks late and nobody answers my emails.',
        },
        assertions: [
          { type: 'icontains', value: 'sorry' },
          { type: 'length', value: { max: 800 } },
          { type: 'not-contains', value: 'your fault' },
        ],
      }),
      testCase({
        name: 'Double charge',
        input_variables: {
          product: 'PayWell',
          message: 'I was charged twice for the same invoice!',
        },
        assertions: [
          { type: 'icontains', value: 'refund', weight: 2 },
          { type: 'length', value: { max: 800 } },
        ],
      }),
    ],
  },
  {
    card: {
      title: 'Extract order details as JSON',
      description: 'Turns a free-text order e-mail into a JSON object for the order system.',
      prompt_template:
        'Extract the order from the e-mail below. Answer with JSON only, in the form {"customer": string, "items": [{"sku": string, "quantity": number}]}.\n\nE-mail:\n{{email}}',
      tags: ['extraction', 'json'],
      pass_rate_threshold: 0.8,
    },
    testCases: [
      testCase({
        name: 'Two items',
        input_variables: {
          email: 'Hi, this is Dana Smith. Please send 2 x SKU-1001 and 1 x SKU-2002. Thanks!',
        },
        assertions: [
          { type: 'is-json' },
          {
            type: 'json-schema',
            value: {
              type: 'object',
              required: ['customer', 'items'],
              properties: {
                customer: { type: 'string' },
                items: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['sku', 'quantity'],
                    properties: { sku: { type: 'string' }, quantity: { type: 'number' } },
                  },
                },
              },
            },
            weight: 2,
          },
          { type: 'contains', value: 'SKU-1001' },
        ],
      }),
    ],
  },
  {
    card: {
      title: 'Summarise an incident report in two sentences',
      description: 'Executive summary of an incident write-up, with a hard length limit.',
      prompt_template:
        'Summarise the following incident report in at most two sentences for an executive audience.\n\n{{report}}',
      tags: ['summarization'],
      pass_rate_threshold: 0.8,
    },
    testCases: [
      testCase({
        name: 'Database failover',
        input_variables: {
          report:
            'At 09:12 UTC the primary database ran out of disk. Writes failed for 14 minutes until the on-call engineer promoted the replica. No data was lost. Follow-up: disk alerts at 80% and weekly capacity review.',
        },
        // No expected_output: it is compared as a whole (EXPECTED_OUTPUT_MATCH), and a free-text
        // summary is judged by the assertions below, the reference text by `similar`.
        assertions: [
          { type: 'length', value: { min: 40, max: 400 } },
          { type: 'icontains', value: 'database' },
          {
            type: 'similar',
            value:
              'The primary database ran out of disk; writes failed for 14 minutes; no data was lost.',
            threshold: 0.3,
          },
        ],
      }),
    ],
  },
  {
    card: {
      title: 'Classify ticket priority',
      description: 'Labels an incoming ticket as P1, P2 or P3 for routing.',
      prompt_template:
        'Classify the priority of this support ticket. Answer with exactly one label: P1 (outage or data loss), P2 (degraded, workaround exists) or P3 (question or cosmetic).\n\nTicket: {{ticket}}',
      tags: ['classification'],
      pass_rate_threshold: 0.8,
    },
    testCases: [
      testCase({
        name: 'Outage',
        input_variables: { ticket: 'Nobody in our company can log in since 10 minutes ago.' },
        assertions: [
          { type: 'regex', value: '^\\s*P[123]\\b' },
          { type: 'contains', value: 'P1' },
        ],
      }),
      testCase({
        name: 'Cosmetic',
        input_variables: { ticket: 'The logo on the invoice PDF is slightly blurry.' },
        assertions: [
          { type: 'regex', value: '^\\s*P[123]\\b' },
          { type: 'contains', value: 'P3' },
        ],
      }),
      testCase({
        name: 'Degraded with workaround',
        input_variables: { ticket: 'CSV export times out, but exporting month by month works.' },
        assertions: [
          { type: 'regex', value: '^\\s*P[123]\\b' },
          { type: 'contains', value: 'P2' },
        ],
      }),
    ],
  },
  {
    card: {
      title: 'Translate UI strings to German',
      description: 'Short UI labels, keeping placeholders like {count} untouched.',
      prompt_template:
        'Translate this user-interface string to German. Keep anything in single braces unchanged.\n\n{{text}}',
      tags: ['translation'],
      pass_rate_threshold: 0.8,
    },
    testCases: [
      testCase({
        name: 'Placeholder kept',
        input_variables: { text: 'You have {count} new messages' },
        assertions: [
          { type: 'contains', value: '{count}' },
          { type: 'latency', value: 5000 },
        ],
      }),
    ],
  },
];

/** Inserts the samples if the database has no card yet; returns how many cards were added. */
export async function seedSamples(store: CardStore): Promise<number> {
  if ((await store.countCards()) > 0) return 0;
  for (const sample of SAMPLES) {
    const card = await store.createCard(sample.card);
    for (const tc of sample.testCases) await store.createTestCase(card.id, tc);
  }
  return SAMPLES.length;
}
