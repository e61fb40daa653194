/**
 * From a decoded export to the evaluations it causes: every span is flattened (resource
 * attributes under its own), checked against the attribute limits, mapped to an LLM call
 * (span-mapping.ts) and offered to each rule; a rule whose selector matches samples the span
 * deterministically by (rule, trace, span), so an exporter's retry samples the same spans.
 * A span over a limit fails the whole export (`OtlpDecodeError`: nothing of it is stored);
 * a span without a trace or span id is rejected alone (OTLP partial success).
 */
import { createHash } from 'node:crypto';
import type { NewEvaluation, OnlineRule } from './online-eval-store.js';
import {
  OtlpDecodeError,
  flattenAttributes,
  nanosToMillis,
  type AttributeLimits,
  type AttributeValue,
  type OtlpKeyValue,
  type OtlpRequest,
} from './otlp-model.js';
import { toLlmCall, type LlmCall, type SpanEvent } from './span-mapping.js';

export interface IngestOutcome {
  readonly seen: number;
  readonly rejected: number;
  readonly rejectionMessage: string;
  readonly evaluations: NewEvaluation[];
}

export function planIngest(
  request: OtlpRequest,
  rules: readonly OnlineRule[],
  limits: AttributeLimits,
  nowMs: number = Date.now(),
): IngestOutcome {
  let seen = 0;
  let rejected = 0;
  const evaluations: NewEvaluation[] = [];
  for (const [r, resourceSpans] of (request.resourceSpans ?? []).entries()) {
    const resource = attributes(
      resourceSpans.resource?.attributes,
      limits,
      `resourceSpans.${r}.resource`,
    );
    for (const scope of resourceSpans.scopeSpans ?? [])
      for (const span of scope.spans ?? []) {
        seen++;
        const where = `span ${span.spanId ?? '(no id)'}`;
        const own = attributes(span.attributes, limits, where);
        const events: SpanEvent[] = (span.events ?? []).map((event) => ({
          name: event.name ?? '',
          attributes: attributes(event.attributes, limits, `${where} event ${event.name ?? ''}`),
        }));
        if (!validId(span.traceId, 32) || !validId(span.spanId, 16)) {
          rejected++;
          continue;
        }
        const call = toLlmCall({
          traceId: span.traceId,
          spanId: span.spanId,
          attributes: new Map([...resource, ...own]),
          events,
          endedAtMs: nanosToMillis(span.endTimeUnixNano) ?? nowMs,
        });
        if (call === undefined) continue;
        for (const rule of rules)
          if (selects(rule, call) && sampled(rule, call))
            evaluations.push(evaluationOf(rule, call));
      }
  }
  return {
    seen,
    rejected,
    rejectionMessage: rejected === 0 ? '' : `${rejected} spans without a valid trace or span id`,
    evaluations,
  };
}

function attributes(
  list: readonly OtlpKeyValue[] | undefined,
  limits: AttributeLimits,
  where: string,
): Map<string, AttributeValue> {
  const flat = flattenAttributes(list, limits);
  if (typeof flat === 'string') throw new OtlpDecodeError(`${where}: ${flat}`);
  return flat;
}

function validId(id: string | undefined, hexChars: number): id is string {
  return id !== undefined && id.length === hexChars && !/^0+$/.test(id);
}

/** Whether the rule's selector matches: every part it sets must hold. */
export function selects(rule: OnlineRule, call: LlmCall): boolean {
  if (rule.service_name !== null && call.serviceName !== rule.service_name) return false;
  if (
    rule.model !== null &&
    call.model !== rule.model &&
    call.attributes.get('gen_ai.request.model') !== rule.model
  )
    return false;
  if (rule.require_card_attribute && call.attributes.get('prompt_card.id') !== rule.prompt_card_id)
    return false;
  return true;
}

/** Deterministic: the same (rule, trace, span) is always in or always out of the sample. */
function sampled(rule: OnlineRule, call: LlmCall): boolean {
  if (rule.sample_rate >= 1) return true;
  if (rule.sample_rate <= 0) return false;
  const digest = createHash('sha256').update(`${rule.id}/${call.traceId}/${call.spanId}`).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000 < rule.sample_rate;
}

/** The card's variables from the span: `input`, `output`, or `attribute:<key>`. */
function evaluationOf(rule: OnlineRule, call: LlmCall): NewEvaluation {
  const variables: Record<string, string> = {};
  for (const [name, source] of Object.entries(rule.variables)) {
    if (source === 'input') variables[name] = call.inputText;
    else if (source === 'output') variables[name] = call.outputText;
    else {
      const value = call.attributes.get(source.slice('attribute:'.length));
      if (value !== undefined) variables[name] = String(value);
    }
  }
  return {
    ruleId: rule.id,
    cardId: rule.prompt_card_id,
    traceId: call.traceId,
    spanId: call.spanId,
    model: call.model,
    inputText: call.inputText,
    outputText: call.outputText,
    variables,
    spanEndedAtMs: call.endedAtMs,
  };
}
