/**
 * `prompt-cards push -c suite.yaml --server URL`: makes the service hold the suite: one card
 * per prompt (found by its title, created when missing, its template updated when changed) and
 * exactly the suite's tests as its test cases, named by their stable key (`key`, else the
 * description, else the position) and synced in one transaction per card. Pushing the same
 * suite again changes nothing.
 */
import { loadSuite, planSuite, type PlannedCard, type SuitePlan } from '../suites/index.js';
import { authHeaders, CommandError, shownUrl } from './server-commands.js';
import { unsupportedOnServer } from './server-template.js';

interface CardBody {
  id: string;
  title: string;
  description: string;
  prompt_template: string;
  tags: string[];
  pass_rate_threshold: number | null;
}

/** A service and the API key that authenticates to it (none without auth). */
interface Service {
  readonly url: string;
  readonly apiKey: string | undefined;
}

async function call(
  server: Service,
  method: string,
  path: string,
  body?: string,
  type = 'application/json',
) {
  const url = `${server.url.replace(/\/+$/, '')}/api${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...authHeaders(server.apiKey),
        ...(body === undefined ? {} : { 'content-type': type }),
      },
      ...(body === undefined ? {} : { body }),
    });
  } catch {
    throw new CommandError(`cannot reach ${shownUrl(url)}`);
  }
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
    text,
  };
}

function expect(ok: boolean, what: string, res: { status: number; text: string }): void {
  if (!ok) throw new CommandError(`${what}: ${res.status} ${res.text.slice(0, 500)}`);
}

async function pushCard(
  server: Service,
  plan: SuitePlan,
  card: PlannedCard,
  log: (line: string) => void,
) {
  const found = await call(
    server,
    'GET',
    `/prompt-cards?q=${encodeURIComponent(card.title.slice(0, 200))}&limit=100`,
  );
  expect(found.status === 200, 'listing cards', found);
  const existing = (found.body as { items: CardBody[] }).items.find((c) => c.title === card.title);
  const rows = JSON.stringify(
    plan.tests.map((t) => ({
      name: t.key.slice(0, 200),
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
    counts = await sync((created.body as CardBody).id);
    state = 'created';
  } else if (existing.prompt_template === card.template) {
    counts = await sync(existing.id);
    state = 'unchanged';
  } else {
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
}

export async function pushCommand(
  config: string,
  server: string,
  log: (line: string) => void,
  apiKey?: string,
): Promise<void> {
  const plan = planSuite(await loadSuite(config));
  // Checked for every card before any is written: a refused suite changes nothing.
  const refused = plan.cards.flatMap((card) =>
    unsupportedOnServer(card.template).map(
      (construct) =>
        `prompt "${card.title}" uses Nunjucks (${construct}), which the service does not render ` +
        '(it renders {{name}} only); `eval` runs such prompts, `push` cannot store them',
    ),
  );
  if (refused.length > 0) throw new CommandError(refused.join('\n'));
  for (const card of plan.cards) await pushCard({ url: server, apiKey }, plan, card, log);
}
