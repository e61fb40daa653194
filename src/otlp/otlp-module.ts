/**
 * OTLP ingest and online evaluation. Both roles judge pending evaluations (claimed under a
 * lease, so the API alone or the API with workers share the backlog); the API also serves the
 * receiver (`POST /api/v1/traces`, before the JSON body parser) and the rule and verdict routes.
 * Every process also sweeps old evaluations (retention, see online-eval-retention.ts).
 * Off (OTLP_INGEST_ENABLED=false): contributes nothing.
 */
import type { ModuleDefinition } from '../compose/index.js';
import { onlineEvalMetrics } from './online-eval-metrics.js';
import { OnlineEvalStore, type OnlineRule } from './online-eval-store.js';
import { OnlineEvalRetention, startRetention } from './online-eval-retention.js';
import { OnlineEvaluator } from './online-evaluator.js';
import { localJudgeSlots, redisJudgeSlots } from './judge-slots.js';

/** How long the receiver reuses the rule list (another process may have changed it). */
const RULE_CACHE_MS = 2000;
/** How often the retention sweep runs (ms), and the rows one delete removes at most. */
const RETENTION_INTERVAL_MS = 10 * 60_000;
const RETENTION_BATCH = 500;

export const otlpModule: ModuleDefinition = {
  name: 'otlp',
  async create({ config, shared, services }) {
    if (!config.otlp.enabled) return {};
    const store = new OnlineEvalStore(shared.database.db, shared.cipher);
    const metrics = onlineEvalMetrics(shared.metrics, store);
    // A rule's judge concurrency across processes needs shared state: Redis when configured.
    const slots =
      config.redisUrl === undefined || !config.otlp.evaluateInProcess
        ? localJudgeSlots
        : await redisJudgeSlots(config.redisUrl, config.runs.queuePrefix, config.otlp.leaseMs);
    const evaluator = new OnlineEvaluator({
      store,
      cards: shared.cards,
      models: shared.models,
      metrics,
      logger: shared.logger,
      concurrency: config.otlp.concurrency,
      leaseMs: config.otlp.leaseMs,
      slots,
      budgetUsd: config.otlp.budgetUsd,
    });
    const retention = new OnlineEvalRetention(shared.database.db, {
      retentionDays: config.otlp.retentionDays,
      maxPerCard: config.otlp.maxPerCard,
      batchSize: RETENTION_BATCH,
    });
    let sweeping: { stop(): Promise<void> } | undefined;
    let cached: { at: number; rules: Promise<readonly OnlineRule[]> } | undefined;
    const rules = (): Promise<readonly OnlineRule[]> => {
      if (cached === undefined || Date.now() - cached.at > RULE_CACHE_MS) {
        const fresh = store.listRules();
        fresh.catch(() => (cached = undefined));
        cached = { at: Date.now(), rules: fresh };
      }
      return cached.rules;
    };
    return {
      rawRoutes: async () => [
        (await import('./receiver-routes.js')).receiverRoutes({
          store,
          rules,
          metrics,
          limits: {
            maxAttributes: config.otlp.maxAttributes,
            maxValueChars: config.otlp.maxAttributeChars,
          },
          maxBodyBytes: config.otlp.maxBodyBytes,
          maxBacklog: config.otlp.maxBacklog,
          onEnqueued: () => evaluator.poke(),
        }),
      ],
      routes: async ({ recordChange }) => {
        const cards = services.cards;
        if (cards === undefined) return [];
        return [
          (await import('./online-rule-routes.js')).onlineRuleRoutes({
            store,
            cards,
            record: recordChange,
            onRulesChanged: () => (cached = undefined),
          }),
          (await import('./online-summary-routes.js')).onlineSummaryRoutes({
            db: shared.database.db,
            cards,
            traceUrlTemplate: config.otlp.traceUrlTemplate,
          }),
        ];
      },
      start: () => {
        if (config.otlp.evaluateInProcess) evaluator.start();
        sweeping = startRetention(retention, RETENTION_INTERVAL_MS, shared.logger);
        return Promise.resolve();
      },
      close: async (deadlineMs) => {
        await sweeping?.stop();
        await evaluator.close(deadlineMs);
        await slots.close();
      },
    };
  },
};
