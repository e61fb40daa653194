/**
 * What of a planned suite a service can run as the local `eval` would (`eval --server`). The
 * service calls each model with its own provider configuration, renders `{{name}}` placeholders
 * only, grades with its own GRADER_MODEL/EMBEDDING_MODEL, prices with its own MODEL_PRICES and
 * runs no code outside its sandbox. Whatever a suite sets beyond that would silently give other
 * verdicts there, so it is refused, each feature named, before anything is pushed.
 */
import { kindOf, leafSpecs } from '../assertions/index.js';
import { renderTemplate } from '../cards/index.js';
import type { PlannedProvider, SuitePlan } from '../suites/index.js';
import { unsupportedOnServer } from './server-template.js';

/** The model id the service knows a provider by: `<backend>:<model>` (`openai:gpt-4o-mini`). */
export function serviceModelOf(provider: PlannedProvider): string {
  return `${provider.backend}:${provider.model}`;
}

/** The provider settings only the local engine applies, as the suite names them. */
function localSettings(p: PlannedProvider): string[] {
  const set: string[] = [];
  if (p.baseUrl !== undefined) set.push('config.apiBaseUrl/apiHost');
  if (p.apiKey !== undefined) set.push('config.apiKey');
  if (p.temperature !== undefined) set.push('config.temperature');
  if (p.maxTokens !== undefined) set.push('config.max_tokens');
  if (p.systemPrompt !== undefined) set.push('config.system_prompt');
  if (Object.keys(p.headers).length > 0) set.push('config.headers/organization');
  set.push(...Object.keys(p.body).map((key) => `config.${key}`));
  if (p.transform !== undefined) set.push('transform');
  if (p.delay !== undefined) set.push('delay');
  if (!p.showThinking) set.push('config.showThinking');
  return set;
}

/** What a run options of the command the service cannot take. */
export interface ServerEvalFlags {
  readonly db?: string;
  readonly grader?: string;
  readonly filterPattern?: RegExp;
  readonly filterFailing?: string;
}

/** Every reason the suite cannot run on a service, one line each (empty: it can). */
export function serverIssues(plan: SuitePlan, flags: ServerEvalFlags): string[] {
  const issues: string[] = [];
  if (flags.db !== undefined) issues.push('--db: the runs are kept by the service');
  if (flags.grader !== undefined)
    issues.push('--grader: the service grades with its own GRADER_MODEL');
  if (flags.filterPattern !== undefined || flags.filterFailing !== undefined)
    issues.push(
      '--filter-pattern/--filter-failing: the service runs every test case of a card, and push makes them the whole suite',
    );
  const seen = new Map<string, string>();
  for (const p of plan.providers) {
    const settings = localSettings(p);
    if (settings.length > 0)
      issues.push(
        `provider ${p.modelId}: ${settings.join(', ')} apply only on the local engine (the service calls ${serviceModelOf(p)} with its own configuration)`,
      );
    const other = seen.get(serviceModelOf(p));
    if (other !== undefined)
      issues.push(
        `providers ${other} and ${p.modelId} are one model on the service (${serviceModelOf(p)})`,
      );
    seen.set(serviceModelOf(p), p.modelId);
  }
  for (const [index, card] of plan.cards.entries()) {
    for (const construct of unsupportedOnServer(card.template))
      issues.push(
        `prompt "${card.title}" uses Nunjucks (${construct}); the service renders {{name}} only`,
      );
    if (unsupportedOnServer(card.template).length > 0) continue;
    const differs = plan.tests.find((t) => {
      try {
        return renderTemplate(card.template, t.vars) !== t.prompts[index];
      } catch {
        return true;
      }
    });
    if (differs !== undefined)
      issues.push(
        `prompt "${card.title}" renders otherwise on the service for test "${differs.name}" (an object var, an escaped placeholder or a missing var); the service fills {{name}} with the var as stored`,
      );
  }
  for (const test of plan.tests.filter((t) => t.storeOutputAs !== undefined))
    issues.push(
      `test "${test.name}": storeOutputAs makes later tests' prompts depend on its answer; the service runs the tests of a card apart, only the local engine runs them in order`,
    );
  for (const card of plan.cards.filter((c) => c.readsConversation))
    issues.push(
      `prompt "${card.title}" reads _conversation (the earlier turns); the service runs the tests of a card apart, only the local engine runs them in order`,
    );
  const kinds = new Set(plan.tests.flatMap((t) => leafSpecs(t.assertions).map((s) => s.type)));
  for (const type of kinds) {
    const kind = kindOf(type)?.kind;
    if (kind?.runsLocalCode === true)
      issues.push(`assertion ${type}: runs code outside a sandbox, which a service never does`);
    // moderation calls the service's own OpenAI-compatible server, as the run's models do.
    else if (kind?.callsModel === true && kind.type !== 'moderation')
      issues.push(
        `assertion ${type}: the service grades it with its own GRADER_MODEL/EMBEDDING_MODEL (the simulated ones by default), not with a grader this command names`,
      );
    else if (type.replace(/^not-/, '') === 'cost')
      issues.push(
        `assertion ${type}: the service prices models from its MODEL_PRICES only, not the built-in price table of eval`,
      );
  }
  return issues;
}
