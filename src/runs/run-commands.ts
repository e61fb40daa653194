/**
 * Run commands, valid on any replica: create (validate, store, enqueue), cancel, resume and
 * start-up recovery. The rules that make them safe with several processes on one database:
 * - cancel is one conditional write (queued/running → cancelled); the executor, told over the
 *   event bus or by its heartbeat, aborts its in-flight calls and never writes a status after
 *   it; the answer waits (up to `cancelWaitMs`) until no process holds the run's lease.
 * - resume is refused while a live process still holds the lease.
 * - recovery interrupts only runs whose lease is dead; a live replica's run is never touched.
 */
import type { CardVersionStore } from '../cards/index.js';
import { randomUUID } from 'node:crypto';
import type { CardStore } from '../cards/index.js';
import { AppError } from '../errors.js';
import type { ModelClient } from '../providers/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import type { RunEventBus } from './run-events.js';
import type { RunExecutor } from './run-executor.js';
import type { RunLeases } from './run-lease.js';
import type { RunQueue } from './run-queue.js';
import {
  ACTIVE_RUN_STATUSES,
  MAX_RUN_ITEMS,
  RESUMABLE_RUN_STATUSES,
  type Run,
  type RunRequest,
  type RunStatus,
} from './run-schema.js';
import type { RunStore } from './run-store.js';

export interface RunCommandsDeps {
  /** Prompt versions: a new run pins the card's latest. */
  readonly versions?: CardVersionStore;
  readonly runs: RunStore;
  readonly leases: RunLeases;
  readonly cards: CardStore;
  readonly models: ModelClient;
  readonly queue: RunQueue;
  readonly events: RunEventBus;
  readonly logger: Logger;
  /** The executor of this process, if it executes runs. */
  readonly executor: RunExecutor | undefined;
  /** How long a cancel waits for a remote executor to stop, in milliseconds. */
  readonly cancelWaitMs: number;
  /** Whether a run uses the answer cache when its request does not say. */
  readonly cacheDefault: boolean;
  readonly isShuttingDown: () => boolean;
  readonly onTakeover?: (runId: string, previousOwner: string) => void;
}

/** How long creating a run waits for providers to list their models before accepting unchecked. */
const MODEL_LIST_DEADLINE_MS = 5000;

export class RunCommands {
  /** Shared queue: runs the queue did not hold at the last sweep, and since when (db clock). */
  private readonly suspects = new Map<string, number>();

  constructor(private readonly deps: RunCommandsDeps) {}

  async create(cardId: string, request: RunRequest, userCategory: string): Promise<Run> {
    const { cards, models, runs, queue, leases } = this.deps;
    const card = await cards.getCard(cardId);
    if (card === undefined) throw new AppError('PCS_ERR_CARD_NOT_FOUND');
    const unknown = request.models
      .map((model, index) => ({ model, index }))
      .filter(({ model }) => models.providerFor(model) === undefined);
    if (unknown.length > 0) {
      throw new AppError(
        'PCS_ERR_PROVIDER_UNKNOWN',
        `No configured provider for ${unknown.map((u) => u.model).join(', ')}; configured: ${models.providerNames().join(', ')}`,
        unknown.map(({ index }) => ({
          field: `models.${index}`,
          message: 'has no configured provider',
        })),
      );
    }
    const unlisted = await models.unlistedModels(
      request.models,
      AbortSignal.timeout(MODEL_LIST_DEADLINE_MS),
    );
    if (unlisted.length > 0) {
      throw new AppError(
        'PCS_ERR_MODEL_UNKNOWN',
        `The provider does not list ${unlisted.join(', ')}; GET /api/models lists the models`,
        request.models
          .map((model, index) => ({ model, index }))
          .filter(({ model }) => unlisted.includes(model))
          .map(({ index }) => ({
            field: `models.${index}`,
            message: 'is not among the models its provider lists',
          })),
      );
    }
    const testCases = await cards.testCaseIds(cardId);
    if (testCases.length === 0) throw new AppError('PCS_ERR_RUN_NO_TEST_CASES');
    const total = testCases.length * request.models.length * request.repeat;
    if (total > MAX_RUN_ITEMS) {
      throw new AppError(
        'PCS_ERR_VALIDATION_FAILED',
        `The run would have ${total} items; the limit is ${MAX_RUN_ITEMS}`,
        [
          {
            field: 'repeat',
            message: `test cases × models × repeat must be at most ${MAX_RUN_ITEMS}`,
          },
        ],
      );
    }
    if (this.deps.isShuttingDown()) throw new AppError('PCS_ERR_HTTP_SHUTTING_DOWN');
    const id = randomUUID();
    // Lease expiries are on the database's clock (lease-clock.ts), like every other lease write.
    const leaseStart = queue.inProcess ? await leases.clock() : 0;
    await runs.createRun(
      {
        id,
        prompt_card_id: cardId,
        status: 'queued',
        models: JSON.stringify(request.models),
        test_case_ids: JSON.stringify(testCases),
        concurrency: request.concurrency,
        repeat: request.repeat,
        total_items: total,
        user_category: userCategory,
        created_at: new Date().toISOString(),
        prompt_version: (await this.deps.versions?.latest(cardId)) ?? null,
        cache: (request.cache ?? this.deps.cacheDefault) ? 1 : 0,
        // In process, the accepting process executes the run: it holds the lease from the start,
        // so no other replica's recovery can take it between the insert and the first heartbeat.
        lease_owner: queue.inProcess ? leases.owner : null,
        lease_expires_at: queue.inProcess ? leaseStart + leases.ttlMs : null,
      },
      // Known from the run's models, so the summary says so before the first result arrives.
      request.models.filter((model) => models.providerFor(model)?.simulated === true),
    );
    await queue.enqueue({ id, total_items: total });
    return (await runs.getRun(id)) as Run;
  }

  async cancel(runId: string): Promise<Run> {
    const { runs, leases, events, executor } = this.deps;
    const row = await runs.getRunRow(runId);
    if (row === undefined) throw new AppError('PCS_ERR_RUN_NOT_FOUND');
    const cancelled = await runs.transition(runId, ACTIVE_RUN_STATUSES, {
      status: 'cancelled',
      finished_at: new Date().toISOString(),
    });
    if (cancelled === undefined) {
      const now = (await runs.getRunRow(runId))?.status ?? row.status;
      throw new AppError('PCS_ERR_RUN_NOT_CANCELLABLE', `The run is already ${now}`);
    }
    const executing = executor?.isLocal(runId) === true || (await leases.isHeld(runId));
    await events.publishControl({ type: 'run.cancel', run_id: runId });
    const local = executor?.settled(runId);
    if (local !== undefined) await local;
    else if (executing) await this.untilReleased(runId);
    if (!executing || !this.deps.queue.inProcess) {
      // Nobody executes it (still waiting in a queue), or several jobs did: it finishes here.
      const run = await runs.getRun(runId);
      if (run !== undefined) events.publish({ type: 'run.finished', run_id: runId, run });
    }
    return (await runs.getRun(runId)) as Run;
  }

  async resume(runId: string): Promise<Run> {
    const { runs, leases, queue } = this.deps;
    const row = await runs.getRunRow(runId);
    if (row === undefined) throw new AppError('PCS_ERR_RUN_NOT_FOUND');
    if (this.deps.isShuttingDown()) throw new AppError('PCS_ERR_HTTP_SHUTTING_DOWN');
    if (!(await leases.claimForResume(runId, RESUMABLE_RUN_STATUSES, queue.inProcess))) {
      const live =
        RESUMABLE_RUN_STATUSES.includes(row.status as RunStatus) && (await leases.isHeld(runId));
      throw new AppError(
        'PCS_ERR_RUN_NOT_RESUMABLE',
        live
          ? `The run is ${row.status} but another process is still stopping it; try again in a moment`
          : `The run is ${row.status}; only interrupted or cancelled runs can be resumed`,
      );
    }
    await queue.enqueue({ id: runId, total_items: row.total_items });
    return (await runs.getRun(runId)) as Run;
  }

  /**
   * Marks runs whose lease is dead as interrupted (they can be resumed); returns their ids.
   * With a shared queue, runs without a lease are waiting for a worker and stay as they are.
   */
  async recover(): Promise<string[]> {
    const { leases, logger } = this.deps;
    const taken: string[] = [];
    for (const orphan of await leases.orphaned(this.deps.queue.inProcess)) {
      if (!(await leases.interruptOrphan(orphan))) continue;
      taken.push(orphan.id);
      if (orphan.owner !== null) this.deps.onTakeover?.(orphan.id, orphan.owner);
    }
    if (taken.length > 0)
      logger.warn({ runs: taken }, 'runs whose executing process is gone are now interrupted');
    await this.requeueLost().catch((error: unknown) =>
      logger.warn({ err: error }, 'could not check the shared queue for lost runs'),
    );
    return taken;
  }

  /**
   * Shared queue: enqueues again the active runs that nobody executes and the queue does not
   * hold (Redis flushed or restarted empty, or an enqueue that never reached it), once two
   * sweeps at least a lease period apart agree (a run being enqueued right now is left alone).
   * Only items without a result run again. Returns the ids enqueued again.
   */
  async requeueLost(): Promise<string[]> {
    const { queue, leases, logger } = this.deps;
    if (queue.lost === undefined || queue.requeue === undefined) return [];
    const now = await leases.clock();
    const idle = await leases.unexecuted(now);
    const lost = new Set(await queue.lost(idle.map((run) => run.id)));
    for (const id of this.suspects.keys()) if (!lost.has(id)) this.suspects.delete(id);
    const requeued: string[] = [];
    for (const run of idle) {
      if (!lost.has(run.id)) continue;
      const since = this.suspects.get(run.id);
      if (since === undefined) this.suspects.set(run.id, now);
      if (since === undefined || now - since < leases.ttlMs) continue;
      this.suspects.delete(run.id);
      if (await queue.requeue(run)) requeued.push(run.id);
    }
    if (requeued.length > 0)
      logger.warn({ runs: requeued }, 'runs the queue had lost are enqueued again');
    return requeued;
  }

  /** Waits until no live process holds the run's lease, up to `cancelWaitMs`. */
  private async untilReleased(runId: string): Promise<void> {
    const deadline = Date.now() + this.deps.cancelWaitMs;
    while (Date.now() < deadline && (await this.deps.leases.isHeld(runId)))
      await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
