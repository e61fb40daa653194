/**
 * `POST /v1/traces` under /api: the OTLP/HTTP trace receiver. Takes
 * `application/x-protobuf` or `application/json` (OTLP/JSON), optionally gzip or deflate
 * encoded, up to `maxBodyBytes` compressed and decompressed. Answers 200 with an
 * ExportTraceServiceResponse in the request's encoding (`partial_success` counts spans without
 * a valid trace or span id) only after the sampled spans' evaluations are committed.
 * Errors (catalog JSON): 400 PCS_ERR_OTLP_MALFORMED, 413 PCS_ERR_OTLP_TOO_LARGE, 415
 * PCS_ERR_OTLP_UNSUPPORTED_MEDIA_TYPE, 429 PCS_ERR_OTLP_BACKLOG_FULL and 503
 * PCS_ERR_OTLP_UNAVAILABLE (both with `Retry-After`, as OTLP specifies for retryable refusals).
 * Mounted before the JSON body parser: it reads its own body.
 */
import { isUtf8 } from 'node:buffer';
import express, { Router, type Request, type RequestHandler } from 'express';
import { isDatabaseUnavailable } from '../db/index.js';
import { AppError } from '../errors.js';
import { planIngest } from './ingest.js';
import type { OnlineEvalMetrics } from './online-eval-metrics.js';
import type { OnlineEvalStore, OnlineRule } from './online-eval-store.js';
import { readTraceRequestJson } from './otlp-json.js';
import { OtlpDecodeError, type AttributeLimits } from './otlp-model.js';

export const OTLP_TRACES_PATH = '/v1/traces';
const TYPES = new Set(['application/x-protobuf', 'application/json']);
const RETRY_AFTER_SECONDS = 5;

export interface ReceiverDeps {
  readonly store: OnlineEvalStore;
  readonly rules: () => Promise<readonly OnlineRule[]>;
  readonly metrics: OnlineEvalMetrics;
  readonly limits: AttributeLimits;
  readonly maxBodyBytes: number;
  readonly maxBacklog: number;
  /** Called after evaluations were committed (wakes the local evaluator). */
  readonly onEnqueued: () => void;
}

function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** express.raw with its errors turned into the receiver's catalog errors. */
function readBody(maxBodyBytes: number): RequestHandler {
  const raw = express.raw({ type: () => true, limit: maxBodyBytes, inflate: true });
  return (req, res, next) => {
    const type = mediaType(req);
    if (!TYPES.has(type)) {
      next(
        new AppError(
          'PCS_ERR_OTLP_UNSUPPORTED_MEDIA_TYPE',
          `Content-Type ${type === '' ? '(none)' : type} is not application/x-protobuf or application/json`,
        ),
      );
      return;
    }
    raw(req, res, (error?: unknown) => {
      if (error === undefined) return next();
      const { status, type: kind } = error as { status?: number; type?: string };
      if (status === 413)
        return next(
          new AppError('PCS_ERR_OTLP_TOO_LARGE', `The export is over ${maxBodyBytes} bytes`),
        );
      if (status === 415 || kind === 'encoding.unsupported')
        return next(
          new AppError(
            'PCS_ERR_OTLP_UNSUPPORTED_MEDIA_TYPE',
            `Content-Encoding ${String(req.headers['content-encoding'])} is not gzip, deflate or identity`,
          ),
        );
      return next(
        new AppError(
          'PCS_ERR_OTLP_MALFORMED',
          `The body could not be read: ${(error as Error).message}`,
        ),
      );
    });
  };
}

/** The JSON body as text; invalid UTF-8 is a malformed export (not U+FFFD in stored spans). */
function utf8Text(body: Buffer): string {
  if (!isUtf8(body)) throw new OtlpDecodeError('the JSON body is not valid UTF-8');
  return body.toString('utf8');
}

/** The protobuf codec (protobufjs, about 8 MB of memory), loaded by the first protobuf request. */
let protoCodec: Promise<typeof import('./otlp-proto.js')> | undefined;

export function receiverRoutes(deps: ReceiverDeps): Router {
  const router = Router();
  router.post(OTLP_TRACES_PATH, readBody(deps.maxBodyBytes), async (req, res) => {
    const protobuf = mediaType(req) === 'application/x-protobuf';
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const proto = protobuf ? await (protoCodec ??= import('./otlp-proto.js')) : undefined;
    let outcome;
    try {
      const request =
        proto === undefined ? readTraceRequestJson(utf8Text(body)) : proto.decodeTraceRequest(body);
      outcome = planIngest(request, await deps.rules(), deps.limits);
    } catch (error) {
      if (error instanceof OtlpDecodeError)
        throw new AppError('PCS_ERR_OTLP_MALFORMED', error.message);
      throw error;
    }
    if (outcome.evaluations.length > 0) {
      try {
        if ((await deps.store.backlog()) >= deps.maxBacklog) {
          res.set('retry-after', String(RETRY_AFTER_SECONDS));
          throw new AppError(
            'PCS_ERR_OTLP_BACKLOG_FULL',
            `${deps.maxBacklog} or more online evaluations are waiting`,
          );
        }
        await deps.store.enqueue(outcome.evaluations);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        res.set('retry-after', String(RETRY_AFTER_SECONDS));
        throw new AppError('PCS_ERR_OTLP_UNAVAILABLE');
      }
      deps.onEnqueued();
    }
    deps.metrics.spans('seen', outcome.seen);
    deps.metrics.spans('sampled', outcome.evaluations.length);
    deps.metrics.spans('rejected', outcome.rejected);
    if (proto !== undefined) {
      res
        .status(200)
        .type('application/x-protobuf')
        .send(Buffer.from(proto.encodeTraceResponse(outcome.rejected, outcome.rejectionMessage)));
    } else {
      res.status(200).json(
        outcome.rejected === 0
          ? {}
          : {
              partialSuccess: {
                rejectedSpans: String(outcome.rejected),
                errorMessage: outcome.rejectionMessage,
              },
            },
      );
    }
  });
  return router;
}
