#!/usr/bin/env node
/**
 * `prompt-cards`: the command line (commander). Exit codes: 0 every threshold holds, 1 one
 * fails (`eval --exit-code-on-failure` / PROMPTFOO_FAILED_TEST_EXIT_CODE replace it), 2 a bad
 * suite, option or configuration (docs/errors.md).
 */
import { Command, CommanderError } from 'commander';
import { CommandError, resolveApiKey } from './server-commands.js';
import type { EvalOptions } from './eval-command.js';
import { failureExitCode, withFailureCode } from './exit-codes.js';
import { exitCode, fraction, list, outputPath, positiveInt, regex } from './option-parsers.js';
import { packageVersion } from './package-version.js';
import { visible, visibleLines } from './terminal-text.js';

/** One line on stdout, its control characters escaped (it may carry a service's text). */
function printLine(line: string): void {
  process.stdout.write(`${visible(line)}\n`);
}

export function program(): Command {
  const cli = new Command('prompt-cards')
    .description('Run prompt-card suites (promptfoo-compatible subset) in CI')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(visibleLines(text)) });
  cli
    .command('eval')
    .description('run a suite on the embedded engine and fail when a threshold fails')
    .requiredOption('-c, --config <file>', 'suite file (YAML or JSON)')
    .option('-j, --max-concurrency <n>', 'model calls in flight', positiveInt)
    .option('--repeat <n>', 'run every test n times', positiveInt)
    .option('--models <ids>', 'only these providers (comma-separated ids or labels)', list)
    .option(
      '-o, --output <file>',
      'write results: .json, .jsonl, .csv, .xml (JUnit) or .html; repeatable',
      outputPath,
    )
    .option(
      '--fail-under <rate>',
      "lowest pass rate per model, 0–1 (default: the suite's, else 1)",
      fraction,
    )
    .option(
      '--skip-unsupported',
      'run without unsupported assertions, reporting them as not evaluated',
    )
    .option(
      '--baseline <report.json>',
      'compare with an earlier -o results.json; exit 1 on a significant regression',
    )
    .option('--alpha <level>', 'significance level of --baseline (default 0.05)', fraction)
    .option(
      '--grader <provider:model>',
      "grader of model-graded assertions (over the suite's options.provider and GRADER_MODEL)",
    )
    .option(
      '--filter-pattern <regex>',
      'only the tests whose description matches this regular expression',
      regex,
    )
    .option(
      '--filter-failing <report.json>',
      'only the tests that failed or errored in an earlier -o report.json',
    )
    .option(
      '--exit-code-on-failure <code>',
      'exit code when a threshold fails, 0–255 (default: PROMPTFOO_FAILED_TEST_EXIT_CODE, else 1)',
      exitCode,
    )
    .option(
      '--db <url>',
      'keep the runs in this SQLite database (sqlite:<path>); in memory by default',
    )
    .option('--server <url>', 'run the suite as runs on this service (push, run, wait, report)')
    .option(
      '--api-key <key>',
      'API key of a service with AUTH_MODE=api-key (prefer the PROMPT_CARDS_API_KEY variable)',
    )
    .action(
      async (opts: {
        config: string;
        maxConcurrency?: number;
        repeat?: number;
        models?: string[];
        output?: string[];
        failUnder?: number;
        skipUnsupported?: boolean;
        baseline?: string;
        alpha?: number;
        db?: string;
        grader?: string;
        filterPattern?: RegExp;
        filterFailing?: string;
        exitCodeOnFailure?: number;
        server?: string;
        apiKey?: string;
      }) => {
        // Read before the run, so a bad PROMPTFOO_FAILED_TEST_EXIT_CODE costs no model call.
        const onFailure = failureExitCode(opts.exitCodeOnFailure);
        // Each command loads its own modules when it runs: `--version` or `export` never load
        // the run engine, and `eval` never loads the HTTP client commands (docs/cli.md).
        const run: (o: EvalOptions) => Promise<{ code: number }> =
          opts.server === undefined
            ? (await import('./eval-command.js')).evalCommand
            : async (o) =>
                (await import('./server-eval.js')).serverEvalCommand({
                  ...o,
                  server: opts.server ?? '',
                  apiKey: resolveApiKey(opts.apiKey),
                });
        const { code } = await run({
          ...(opts.grader === undefined ? {} : { grader: opts.grader }),
          config: opts.config,
          ...(opts.maxConcurrency === undefined ? {} : { concurrency: opts.maxConcurrency }),
          ...(opts.repeat === undefined ? {} : { repeat: opts.repeat }),
          ...(opts.models === undefined ? {} : { models: opts.models }),
          ...(opts.output === undefined ? {} : { output: opts.output }),
          ...(opts.failUnder === undefined ? {} : { failUnder: opts.failUnder }),
          ...(opts.skipUnsupported === undefined ? {} : { skipUnsupported: opts.skipUnsupported }),
          ...(opts.db === undefined ? {} : { db: opts.db }),
          ...(opts.baseline === undefined ? {} : { baseline: opts.baseline }),
          ...(opts.alpha === undefined ? {} : { alpha: opts.alpha }),
          ...(opts.filterPattern === undefined ? {} : { filterPattern: opts.filterPattern }),
          ...(opts.filterFailing === undefined ? {} : { filterFailing: opts.filterFailing }),
        });
        process.exitCode = withFailureCode(code, onFailure);
      },
    );
  cli
    .command('push')
    .description("create or update the suite's cards and test cases on a service (idempotent)")
    .requiredOption('-c, --config <file>', 'suite file (YAML or JSON)')
    .requiredOption('--server <url>', 'the service, e.g. http://127.0.0.1:3001')
    .option(
      '--api-key <key>',
      'API key of a service with AUTH_MODE=api-key (prefer the PROMPT_CARDS_API_KEY variable)',
    )
    .action(async (opts: { config: string; server: string; apiKey?: string }) => {
      const { pushCommand } = await import('./push-command.js');
      await pushCommand(opts.config, opts.server, printLine, resolveApiKey(opts.apiKey));
    });
  cli
    .command('compare <baseline-run> <candidate-run>')
    .description('compare two runs of a service; exit 1 on a significant regression')
    .requiredOption('--server <url>', 'the service, e.g. http://127.0.0.1:3001')
    .option(
      '--alpha <level>',
      "significance level (default: the service's RUN_COMPARE_ALPHA)",
      fraction,
    )
    .option(
      '--api-key <key>',
      'API key of a service with AUTH_MODE=api-key (prefer the PROMPT_CARDS_API_KEY variable)',
    )
    .action(
      async (
        baseline: string,
        candidate: string,
        opts: { server: string; alpha?: number; apiKey?: string },
      ) => {
        const { compareCommand } = await import('./server-commands.js');
        process.exitCode = await compareCommand(
          opts.server,
          baseline,
          candidate,
          opts.alpha,
          printLine,
          resolveApiKey(opts.apiKey),
        );
      },
    );
  cli
    .command('export <run>')
    .description("stream a run's results from a service into a .jsonl or .csv file")
    .requiredOption('--server <url>', 'the service, e.g. http://127.0.0.1:3001')
    .requiredOption('-o, --output <file>', 'results.jsonl or results.csv')
    .option(
      '--api-key <key>',
      'API key of a service with AUTH_MODE=api-key (prefer the PROMPT_CARDS_API_KEY variable)',
    )
    .action(async (run: string, opts: { server: string; output: string; apiKey?: string }) => {
      const { exportCommand } = await import('./server-commands.js');
      await exportCommand(opts.server, run, opts.output, resolveApiKey(opts.apiKey));
    });
  return cli;
}

/**
 * A bad suite or configuration (exit 2, message only). Loaded here rather than at start: only a
 * command that read a suite or the configuration can throw these, and it has loaded them.
 */
async function isUsageError(error: Error): Promise<boolean> {
  const [{ ConfigError }, { SuiteError }] = await Promise.all([
    import('../config.js'),
    import('../suites/index.js'),
  ]);
  return error instanceof SuiteError || error instanceof ConfigError;
}

/** Runs the command line; resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof Error && (error instanceof CommandError || (await isUsageError(error)))) {
      process.stderr.write(`${visibleLines(error.message)}\n`);
      return 2;
    }
    process.stderr.write(
      `${visibleLines(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
    );
    return 2;
  }
}

// Node exits 0 when nothing is left to wait for, even if the command never finished (a callback
// a package never calls): that must not read as a passing eval in CI.
let finished = false;
process.on('beforeExit', () => {
  if (finished) return;
  process.stderr.write(
    'prompt-cards: the command stopped before it finished (something it waited for never answered); no report was written\n',
  );
  process.exit(2);
});
void runCli(process.argv.slice(2)).then((code) => {
  finished = true;
  process.exit(code);
});
