/**
 * Runs user Python (promptfoo's `python` assertions) in a child `python3` process: the code is
 * loaded into a fresh module, the named function called with JSON arguments, and its result
 * returned as JSON. Limits: a wall-time deadline (the process is killed), an address-space
 * limit (RLIMIT_AS) and, where the kernel allows an unprivileged network namespace
 * (`unshare -rn`), no network at all; elsewhere `socket` is disabled inside the interpreter,
 * which stops ordinary code but is not a security boundary. Python is not a sandbox the way
 * QuickJS is: the code can read files the user can read. Only a suite's own author's code
 * should be run.
 *
 * The interpreter is `python3` on PATH (or `PROMPTFOO_PYTHON`, promptfoo's variable, given by
 * the caller). What the code prints goes to stderr; only the result travels on stdout.
 */
import { spawn, spawnSync } from 'node:child_process';

export class PythonError extends Error {
  constructor(
    message: string,
    /** True when no Python interpreter could be started (not a verdict). */
    readonly missing = false,
  ) {
    super(message);
    this.name = 'PythonError';
  }
}

export interface PythonLimits {
  /** Wall time, in ms (default 10,000). */
  readonly timeoutMs?: number;
  /** Address space of the interpreter, in bytes (default 1 GiB). */
  readonly memoryBytes?: number;
}

const WRAPPER = `
import json, sys, resource, types
req = json.loads(sys.stdin.read())
lim = req["memory"]
try:
    resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
except Exception:
    pass
if not req["isolated"]:
    import socket
    def _no_network(*a, **k):
        raise OSError("network access is disabled in python assertions")
    socket.socket = _no_network
    socket.create_connection = _no_network
    socket.getaddrinfo = _no_network
out = sys.stdout
sys.stdout = sys.stderr
mod = types.ModuleType("assertion")
exec(compile(req["code"], req["name"], "exec"), mod.__dict__)
fn = getattr(mod, req["function"], None)
if fn is None:
    raise SystemExit("the code defines no function " + req["function"])
res = fn(*req["args"])
out.write(json.dumps(res, default=str))
out.flush()
`;

let isolation: boolean | undefined;

/** Whether `unshare -rn` can give the interpreter its own empty network namespace here. */
function canIsolate(): boolean {
  isolation ??= spawnSync('unshare', ['-rn', 'true'], { stdio: 'ignore' }).status === 0;
  return isolation;
}

/** Whether `interpreter` starts (checked before a suite with python assertions runs). */
export function pythonAvailable(interpreter = 'python3'): boolean {
  return spawnSync(interpreter, ['-c', 'pass'], { stdio: 'ignore' }).status === 0;
}

/**
 * Calls `fn(*args)` defined by `code`; resolves to its JSON result (null for None). Throws
 * PythonError with the interpreter's last error line, on timeout, or (`missing`) when the
 * interpreter is absent.
 */
export function runPython(
  code: string,
  fn: string,
  args: readonly unknown[],
  options: PythonLimits & { interpreter?: string; name?: string } = {},
): Promise<unknown> {
  const interpreter = options.interpreter ?? 'python3';
  const isolated = canIsolate();
  const [command, argv] = isolated
    ? ['unshare', ['-rn', interpreter, '-c', WRAPPER]]
    : [interpreter, ['-c', WRAPPER]];
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 64_000) stderr += d.toString();
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new PythonError(`${interpreter} was not found; python assertions need Python 3`, true)
          : new PythonError(error.message),
      );
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      if (timedOut) return reject(new PythonError(`timed out after ${timeoutMs} ms`));
      if (status !== 0) {
        const last = stderr.trim().split('\n').at(-1) ?? `exit ${String(status)}`;
        return reject(new PythonError(last || `exit ${String(status)}`, status === 127));
      }
      try {
        resolve(JSON.parse(stdout) as unknown);
      } catch {
        reject(new PythonError(`the result is not JSON: ${stdout.slice(0, 200)}`));
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(
      JSON.stringify({
        code,
        function: fn,
        args,
        name: options.name ?? '<assertion>',
        memory: options.memoryBytes ?? 1024 ** 3,
        isolated,
      }),
    );
  });
}
