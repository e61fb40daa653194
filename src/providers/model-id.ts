/** Model ids are `provider:model`, split at the first colon (`ollama:llama3.1:8b`). */
export interface ModelId {
  readonly provider: string;
  readonly model: string;
}

export function parseModelId(id: string): ModelId | undefined {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return undefined;
  return { provider: id.slice(0, colon), model: id.slice(colon + 1) };
}
