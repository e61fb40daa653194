/**
 * `prompt-cards push -c suite.yaml --server URL`: makes the service hold the suite: one card
 * per prompt (found by its title, created when missing, its template updated when changed) and
 * exactly the suite's tests as its test cases, named by their stable key (`key`, else the
 * description, else the position) and synced in one transaction per card. Pushing the same
 * suite again changes nothing.
 */
import {
  loadSuite,
  planSuite,
  testCaseName,
  type PlannedCard,
  type SuitePlan,
} from '../suites/index.js';
import { CommandError } from './server-commands.js';
import {
  refusal,
  serviceCall as call,
  type Service,
  type ServiceResponse,
} from './service-client.js';
import { unsupportedOnServer } from './server-template.js';

interface CardBody {
  id: string;
  title: string;
  description: string;
  prompt_template: string;
  tags: string[];
  pass_rate_threshold: number | null;
}

function expect(ok: boolean, what: string, res: ServiceResponse): void {
  if (!ok) throw refusal(what, res);
}

async function pushCard(
  server: Service,
  plan: SuitePlan,
  card: PlannedCard,
  log: (line: string) => void,
): Promise<string> {
  const found = await call(
    server,
    'GET',
    `/prompt-cards?q=${encodeURIComponent(card.title)}&limit=100`,
  );
  expect(found.status === 200, 'listing cards', found);
  const existing = (found.body as { items: CardBody[] }).items.find((c) => c.title === card.title);
  const rows = JSON.stringify(
    plan.tests.map((t) => ({
      name: testCaseName(t),
      input_variables: t.vars,
      expected_output: t.expectedOutput,
      assertions: t.assertions,
    })),
  );
  const sync = async (id: string) => {
    const res = await call(server, 'POST', `/prompt-cards/${id}/test-cases/import?mode=sync`, rows);
    expect(res.status === 200, `syncing the test cases of "${card.title}"`, res);
    return res.body as { created: number; updated: number; deleted: number; unchanged: number };
  };
  let state: string;
  let counts;
  let id: string;
  if (existing === undefined) {
    const created = await call(
      server,
      'POST',
      '/prompt-cards',
      JSON.stringify({
        title: card.title,
        prompt_template: card.template,
        description: plan.description.slice(0, 10_000),
      }),
    );
    expect(created.status === 201, `creating "${card.title}"`, created);
    id = (created.body as CardBody).id;
    counts = await sync(id);
    state = 'created';
  } else if (existing.prompt_template === card.template) {
    id = existing.id;
    counts = await sync(existing.id);
    state = 'unchanged';
  } else {
    id = existing.id;
    const put = () =>
      call(
        server,
        'PUT',
        `/prompt-cards/${existing.id}`,
        JSON.stringify({
          title: existing.title,
          description: existing.description,
          tags: existing.tags,
          pass_rate_threshold: existing.pass_rate_threshold,
          prompt_template: card.template,
        }),
      );
    let updated = await put();
    if (updated.status === 409) {
      // The new template needs variables the old test cases lack: the suite's tests first.
      counts = await sync(existing.id);
      updated = await put();
    }
    expect(updated.status === 200, `updating "${card.title}"`, updated);
    counts ??= await sync(existing.id);
    state = 'template updated';
  }
  log(
    `${card.title}: ${state}; test cases ${counts.created} created, ${counts.updated} updated, ${counts.deleted} deleted, ${counts.unchanged} unchanged`,
  );
  return id;
}

/**
 * What the service cannot run as `eval` does: Nunjucks it does not render (one message per
 * construct of each card) and tests storing answers for later ones (empty: none).
 */
export function pushIssues(plan: SuitePlan): string[] {
  return [
    ...plan.cards.flatMap((card) =>
      unsupportedOnServer(card.template).map(
        (construct) =>
          `prompt "${card.title}" uses Nunjucks (${construct}), which the service does not render ` +
          '(it renders {{name}} only); `eval` runs such prompts, `push` cannot store them',
      ),
    ),
    ...plan.tests
      .filter((t) => t.storeOutputAs !== undefined)
      .map(
        (t) =>
          `test "${t.name}" stores its answer (storeOutputAs) for later tests; the service runs a card's test cases apart, so \`eval\` runs such suites, \`push\` cannot store them`,
      ),
  ];
}

/**
 * Pushes a planned suite (checked with pushIssues first) card by card.
 * @returns the service's card id of each planned card, by the card's key
 */
export async function pushPlan(
  service: Service,
  plan: SuitePlan,
  log: (line: string) => void,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const card of plan.cards) ids.set(card.key, await pushCard(service, plan, card, log));
  return ids;
}

export async function pushCommand(
  config: string,
  server: string,
  log: (line: string) => void,
  apiKey?: string,
): Promise<void> {
  const plan = planSuite(await loadSuite(config));
  // Checked for every card before any is written: a refused suite changes nothing.
  const refused = pushIssues(plan);
  if (refused.length > 0) throw new CommandError(refused.join('\n'));
  await pushPlan({ url: server, apiKey }, plan, log);
}
