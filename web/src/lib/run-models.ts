/**
 * Which listed models the run form offers. The simulated provider lists its helper models too —
 * `simulated:grader` (the default GRADER_MODEL, answers rubric scores as JSON) and
 * `simulated:embed` (the default EMBEDDING_MODEL) — which answer a prompt with a score or a
 * vector, not with an answer to judge: they are no model to run a card against.
 */
const HELPER_MODELS = new Set(['simulated:grader', 'simulated:embed']);

/** The full id a provider's listed model runs as (`simulated:fast`); a bare name is prefixed. */
export function modelId(provider: string, model: string): string {
  return model.startsWith(`${provider}:`) ? model : `${provider}:${model}`;
}

/** The ids of `models` a person may pick for a run, in the provider's order. */
export function runnableModels(provider: string, models: readonly string[]): string[] {
  return models.map((m) => modelId(provider, m)).filter((id) => !HELPER_MODELS.has(id));
}
