/**
 * `npm run doctor`: the setup guide's Troubleshooting section as a command. Checks that the
 * app's /api/metrics answers and parses, that Prometheus has the app's target up, that
 * Alertmanager answers, that Grafana's datasources are healthy, and that the OTLP endpoint
 * accepts traces. Prints each result with a fix hint; exits 1 when a check fails. A component
 * whose URL is not set is skipped, and says which variable would enable it.
 *
 * Variables: APP_URL (default http://127.0.0.1:$PORT, PORT defaulting to 3001), METRICS_TOKEN, PROMETHEUS_URL,
 * ALERTMANAGER_URL, GRAFANA_URL (+ GRAFANA_USER / GRAFANA_ADMIN_PASSWORD), and the OTLP endpoint
 * variables the app reads.
 */
import { tracingOptions } from '../src/telemetry/tracing/tracing-options.js';

type Outcome = { status: 'ok' | 'fail' | 'skip'; detail: string; hint?: string };
type Check = { name: string; run: () => Promise<Outcome> };

const env = process.env;
const TIMEOUT = AbortSignal.timeout.bind(AbortSignal);

async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers, signal: TIMEOUT(5000) });
}

function reason(error: unknown): string {
  const cause =
    error instanceof Error
      ? (error.cause as { code?: string; message?: string } | undefined)
      : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

// The service's own PORT when APP_URL is not given (both read from the same environment).
const appUrl = (env.APP_URL ?? `http://127.0.0.1:${env.PORT ?? '3001'}`).replace(/\/+$/, '');

const checks: Check[] = [
  {
    name: 'App metrics endpoint',
    run: async () => {
      try {
        const res = await get(
          `${appUrl}/api/metrics`,
          env.METRICS_TOKEN === undefined ? {} : { authorization: `Bearer ${env.METRICS_TOKEN}` },
        );
        if (res.status === 401)
          return {
            status: 'fail',
            detail: '401 Unauthorized',
            hint: 'Set METRICS_TOKEN to the token the app was started with.',
          };
        if (res.status === 404)
          return {
            status: 'fail',
            detail: '404',
            hint: 'The app runs with ENABLE_MONITORING=false; set it to true.',
          };
        const text = await res.text();
        const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
        const bad = samples.find((l) => !/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+/.test(l));
        if (!res.ok || bad !== undefined || !text.includes('http_requests_total')) {
          return {
            status: 'fail',
            detail: `HTTP ${res.status}${bad === undefined ? '' : `, unparsable line: ${bad.slice(0, 80)}`}`,
            hint: 'Check the app log for errors at start-up.',
          };
        }
        return { status: 'ok', detail: `${samples.length} samples at ${appUrl}/api/metrics` };
      } catch (error) {
        return {
          status: 'fail',
          detail: `${appUrl} unreachable (${reason(error)})`,
          hint: 'Start the app (npm start) or set APP_URL.',
        };
      }
    },
  },
  {
    name: 'Prometheus scrapes the app',
    run: async () => {
      if (env.PROMETHEUS_URL === undefined)
        return { status: 'skip', detail: 'set PROMETHEUS_URL to check' };
      try {
        const res = await get(`${env.PROMETHEUS_URL}/api/v1/targets?state=active`);
        const body = (await res.json()) as {
          data: {
            activeTargets: {
              labels: { job: string };
              health: string;
              lastError: string;
              scrapeUrl: string;
            }[];
          };
        };
        const targets = body.data.activeTargets.filter(
          (t) => t.labels.job === 'prompt-card-backend',
        );
        if (targets.length === 0)
          return {
            status: 'fail',
            detail: 'no prompt-card-backend target',
            hint: 'Add the app to scrape_configs (monitoring/prometheus.yml) and reload Prometheus.',
          };
        const down = targets.filter((t) => t.health !== 'up');
        if (down.length > 0) {
          return {
            status: 'fail',
            detail: `${down.length} of ${targets.length} targets down: ${down[0]?.lastError ?? ''}`,
            hint: "Check the scrape URL, the metrics token file, and that the app answers from Prometheus's network.",
          };
        }
        return { status: 'ok', detail: `${targets.length} target(s) up` };
      } catch (error) {
        return {
          status: 'fail',
          detail: `Prometheus at ${env.PROMETHEUS_URL} unreachable (${reason(error)})`,
          hint: 'Start Prometheus (docker-compose -f docker-compose.monitoring.yml up prometheus) or fix PROMETHEUS_URL.',
        };
      }
    },
  },
  {
    name: 'Alertmanager answers',
    run: async () => {
      if (env.ALERTMANAGER_URL === undefined)
        return { status: 'skip', detail: 'set ALERTMANAGER_URL to check' };
      try {
        const res = await get(`${env.ALERTMANAGER_URL}/-/healthy`);
        return res.ok
          ? { status: 'ok', detail: 'healthy' }
          : {
              status: 'fail',
              detail: `HTTP ${res.status}`,
              hint: "Check Alertmanager's log; run amtool check-config on its configuration.",
            };
      } catch (error) {
        return {
          status: 'fail',
          detail: `Alertmanager at ${env.ALERTMANAGER_URL} unreachable (${reason(error)})`,
          hint: 'Start Alertmanager or fix ALERTMANAGER_URL.',
        };
      }
    },
  },
  {
    name: 'Grafana datasources',
    run: async () => {
      if (env.GRAFANA_URL === undefined)
        return { status: 'skip', detail: 'set GRAFANA_URL to check' };
      const auth = {
        authorization: `Basic ${Buffer.from(`${env.GRAFANA_USER ?? 'admin'}:${env.GRAFANA_ADMIN_PASSWORD ?? ''}`).toString('base64')}`,
      };
      try {
        const res = await get(`${env.GRAFANA_URL}/api/datasources`, auth);
        if (!res.ok)
          return {
            status: 'fail',
            detail: `HTTP ${res.status}`,
            hint: 'Check GRAFANA_USER and GRAFANA_ADMIN_PASSWORD.',
          };
        const sources = (await res.json()) as { uid: string; name: string }[];
        const unhealthy: string[] = [];
        for (const source of sources) {
          const health = await get(
            `${env.GRAFANA_URL}/api/datasources/uid/${source.uid}/health`,
            auth,
          );
          if (!health.ok) unhealthy.push(source.name);
        }
        return unhealthy.length === 0
          ? { status: 'ok', detail: `${sources.length} datasources healthy` }
          : {
              status: 'fail',
              detail: `unhealthy: ${unhealthy.join(', ')}`,
              hint: 'Check the datasource URLs in monitoring/grafana/provisioning/datasources.',
            };
      } catch (error) {
        return {
          status: 'fail',
          detail: `Grafana unreachable (${reason(error)})`,
          hint: 'Start Grafana or fix GRAFANA_URL.',
        };
      }
    },
  },
  {
    name: 'OTLP endpoint accepts traces',
    run: async () => {
      const options = tracingOptions(env, 'doctor');
      if (options.endpoint === undefined)
        return {
          status: 'skip',
          detail: 'set OTEL_EXPORTER_OTLP_ENDPOINT (or JAEGER_HOST) to check',
        };
      try {
        const res = await fetch(options.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"resourceSpans":[]}',
          signal: TIMEOUT(5000),
        });
        return res.ok
          ? { status: 'ok', detail: `${options.endpoint} answered ${res.status}` }
          : {
              status: 'fail',
              detail: `HTTP ${res.status}`,
              hint: 'The endpoint must accept OTLP/HTTP at /v1/traces (Jaeger: COLLECTOR_OTLP_ENABLED=true, port 4318).',
            };
      } catch (error) {
        return {
          status: 'fail',
          detail: `${options.endpoint} unreachable (${reason(error)})`,
          hint: 'Start Jaeger or the collector, or fix the endpoint variable.',
        };
      }
    },
  },
];

async function main(): Promise<void> {
  let failed = 0;
  for (const check of checks) {
    const outcome = await check.run();
    const mark = { ok: 'OK  ', fail: 'FAIL', skip: 'SKIP' }[outcome.status];
    console.log(`${mark} ${check.name}: ${outcome.detail}`);
    if (outcome.status === 'fail') {
      failed++;
      if (outcome.hint !== undefined) console.log(`     fix: ${outcome.hint}`);
    }
  }
  console.log(failed === 0 ? 'doctor: all checks passed' : `doctor: ${failed} check(s) failed`);
  process.exit(failed === 0 ? 0 : 1);
}

void main();
