/**
 * Runs user JavaScript (promptfoo's `javascript` assertions and `transform`s) in a QuickJS
 * interpreter compiled to WebAssembly (quickjs-emscripten): a separate heap with no `require`,
 * `process`, file system, network or timers (a `console` whose output goes nowhere), a memory limit, and a deadline enforced by an
 * interrupt handler, so an endless loop or a huge allocation ends the script, not the process.
 * Chosen over `node:vm` (not a security boundary: its objects reach the host's constructors)
 * and isolated-vm (a native addon to build per Node version).
 *
 * Inputs go in as JSON and the result comes back as JSON: only data crosses the boundary.
 */
import type {
  QuickJSContext,
  QuickJSHandle,
  QuickJSWASMModule,
  shouldInterruptAfterDeadline,
} from 'quickjs-emscripten';

export interface SandboxLimits {
  /** Wall time one script may run, in ms (default 1,000). */
  readonly timeoutMs?: number;
  /** Heap of one script, in bytes (default 32 MiB). */
  readonly memoryBytes?: number;
}

export class SandboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxError';
  }
}

/** The package and its WebAssembly module, loaded on the first script (a suite may have none). */
interface QuickJS {
  readonly module: QuickJSWASMModule;
  readonly interruptAfter: typeof shouldInterruptAfterDeadline;
}
let quickjs: Promise<QuickJS> | undefined;

async function loadQuickJS(): Promise<QuickJS> {
  const { getQuickJS, shouldInterruptAfterDeadline } = await import('quickjs-emscripten');
  return { module: await getQuickJS(), interruptAfter: shouldInterruptAfterDeadline };
}

const SILENT_CONSOLE =
  '{ log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {}, dir() {}, table() {} }';

/**
 * A CommonJS module's text run in its own function scope, as Node's module wrapper runs it (its
 * top-level names, a `'use strict'` directive, are its own), followed by `const fn`, the
 * exported function (or undefined).
 */
function moduleScope(code: string): string {
  return `const module = { exports: {} };\n(function (module, exports) {\n${code}\n})(module, module.exports);\nconst fn = typeof module.exports === 'function' ? module.exports : (module.exports.default ?? Object.values(module.exports).find((v) => typeof v === 'function'));`;
}

/**
 * promptfoo's form of user code: a one-line expression is returned; code with several lines
 * (or an explicit `return`) is a function body; a file's `module.exports = (output, context)
 * => …` is called.
 */
export function functionBody(code: string): string {
  const trimmed = code.trim();
  if (/module\.exports\s*=|exports\.\w+\s*=/.test(trimmed))
    return `${moduleScope(trimmed)}\nreturn fn(output, context);`;
  if (code.trimStart().includes('\n') || /^return\b/.test(trimmed)) return trimmed;
  return `return (${trimmed.replace(/;\s*$/, '')});`;
}

/** Loads the interpreter, so that `callInSandboxSync` can run (a suite's Nunjucks filters). */
export async function prepareSandbox(): Promise<void> {
  quickjs ??= loadQuickJS();
  loaded = await quickjs;
}
let loaded: QuickJS | undefined;

/**
 * A CommonJS module's exported function (`module.exports = function (value, …) {…}`, or
 * `export default function …`) called with `args` (JSON values), under the same limits as
 * `runInSandbox` but synchronously (Nunjucks calls filters synchronously): its result as a
 * JSON value. Needs `prepareSandbox()` first. A thrown error, a timeout, memory exhaustion, a
 * module that exports no function or a function that returns a promise is a SandboxError.
 */
export function callInSandboxSync(
  module: string,
  args: readonly unknown[],
  limits: SandboxLimits = {},
): unknown {
  if (loaded === undefined) throw new SandboxError('the sandbox is not loaded');
  const code = module.replace(/^\s*export\s+default\s+/m, 'module.exports = ');
  const source = `globalThis.console = ${SILENT_CONSOLE};\n(function (args) {\n${moduleScope(code)}\nif (typeof fn !== 'function') throw new Error('the module exports no function');\nconst result = fn(...args);\nif (result instanceof Promise) throw new Error('a filter must return its value, not a promise');\nreturn result;\n})(${JSON.stringify(args)})`;
  return evaluate(loaded, source, 'filter.js', limits);
}

/** Evaluates `source` in a new runtime and context with `limits`; its value as JSON. */
/** The SandboxError for what the script threw (an interrupt is the time limit's message). */
function thrownBy(vm: QuickJSContext, handle: QuickJSHandle, limits: SandboxLimits): SandboxError {
  const error = vm.dump(handle) as { message?: string; name?: string } | string;
  handle.dispose();
  const message =
    typeof error === 'string' ? error : `${error.name ?? 'Error'}: ${error.message ?? ''}`;
  return new SandboxError(
    /interrupted/i.test(message) ? `timed out after ${limits.timeoutMs ?? 1000} ms` : message,
  );
}

/** A QuickJS runtime bounded by `limits` (32 MiB, 1 s by default; 1 MiB of stack). */
function limitedRuntime({ module, interruptAfter }: QuickJS, limits: SandboxLimits) {
  const runtime = module.newRuntime();
  runtime.setMemoryLimit(limits.memoryBytes ?? 32 * 1024 * 1024);
  runtime.setMaxStackSize(1024 * 1024);
  runtime.setInterruptHandler(interruptAfter(Date.now() + (limits.timeoutMs ?? 1000)));
  return runtime;
}

function evaluate(
  { module, interruptAfter }: QuickJS,
  source: string,
  name: string,
  limits: SandboxLimits,
): unknown {
  const runtime = limitedRuntime({ module, interruptAfter }, limits);
  const vm = runtime.newContext();
  try {
    const result = vm.evalCode(source, name);
    if (result.error !== undefined) throw thrownBy(vm, result.error, limits);
    const value = vm.dump(result.value) as unknown;
    result.value.dispose();
    return value;
  } finally {
    vm.dispose();
    runtime.dispose();
  }
}

/**
 * Calls `code` (see `functionBody`) with `output` and `context` (both JSON values) and returns
 * its result as a JSON value (`undefined` when it returns nothing). A thrown error, a timeout,
 * memory exhaustion or a result that is not JSON is a SandboxError.
 */
export async function runInSandbox(
  code: string,
  output: unknown,
  context: unknown,
  limits: SandboxLimits = {},
): Promise<unknown> {
  quickjs ??= loadQuickJS();
  const { module, interruptAfter } = await quickjs;
  const runtime = limitedRuntime({ module, interruptAfter }, limits);
  const vm = runtime.newContext();
  try {
    // promptfoo's scripts log with `console`: here it exists and writes nowhere.
    const source = `globalThis.console = ${SILENT_CONSOLE};\n(function (output, context) {\n${functionBody(code)}\n})(${JSON.stringify(output) ?? 'undefined'}, ${JSON.stringify(context) ?? 'undefined'})`;
    const result = vm.evalCode(source, 'assertion.js');
    if (result.error !== undefined) throw thrownBy(vm, result.error, limits);
    let handle = result.value;
    const state = vm.getPromiseState(handle);
    if (state.type !== 'fulfilled' || state.notAPromise !== true) {
      // An async function: run its jobs (no timers or I/O exist, so they finish or fail now).
      runtime.executePendingJobs();
      const settled = vm.getPromiseState(handle);
      if (settled.type === 'pending') {
        handle.dispose();
        throw new SandboxError('the returned promise never settled');
      }
      if (settled.type === 'rejected') {
        const reason = vm.dump(settled.error) as { message?: string } | string;
        settled.error.dispose();
        handle.dispose();
        throw new SandboxError(
          typeof reason === 'string' ? reason : (reason.message ?? 'rejected'),
        );
      }
      handle.dispose();
      handle = settled.value;
    }
    const value = vm.dump(handle) as unknown;
    handle.dispose();
    return value;
  } finally {
    vm.dispose();
    runtime.dispose();
  }
}
