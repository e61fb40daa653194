export {
  tracingOptions,
  TracingOptionsError,
  type TracingOptions,
  type OtlpProtocol,
} from './tracing-options.js';
export { startTracing, type TracingHandle } from './start-tracing.js';
export {
  TracingService,
  tracer,
  traceExemplar,
  errorMessage,
  TRACER_NAME,
} from './tracing-service.js';
export { serverSpanMiddleware, isTracingActive, UNTRACED_PATHS } from './server-span.js';
