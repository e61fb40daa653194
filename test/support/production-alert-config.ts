/**
 * The repository's production alerting configuration, rendered for a short system test: the
 * rule groups of the online judge's health and the production-quality SLO keep their generated
 * expressions (monitoring/rules/*.yml) and only get a 1-second evaluation interval and `for`;
 * Alertmanager keeps the production routing tree and Slack templates (monitoring/alertmanager.yml)
 * with 1-second grouping, the Slack URL pointing at a loopback receiver, and no e-mail or app
 * webhook receivers (SMTP and the app are not what these tests watch).
 */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
}
interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

/** The named groups of the repository's rule files, with `interval` and every `for` at 1s. */
export function shortRuleGroups(files: readonly string[], groups: readonly string[]): string {
  const picked = files.flatMap((file) =>
    (parse(readFileSync(file, 'utf8')) as { groups: RuleGroup[] }).groups.filter((g) =>
      groups.includes(g.name),
    ),
  );
  const missing = groups.filter((name) => !picked.some((g) => g.name === name));
  if (missing.length > 0) throw new Error(`rule groups not found: ${missing.join(', ')}`);
  return stringify({
    groups: picked.map((g) => ({
      ...g,
      interval: '1s',
      rules: g.rules.map((r) => (r.for === undefined ? r : { ...r, for: '1s' })),
    })),
  });
}

type Receiver = Record<string, unknown> & { name: string };

/**
 * monitoring/alertmanager.yml with grouping at 1s, only its Slack configs kept (their
 * `api_url_file` replaced by `slackUrlFile`), and no global SMTP settings.
 */
export function productionAlertmanager(file: string, slackUrlFile: string): string {
  const config = parse(readFileSync(file, 'utf8')) as {
    global?: Record<string, unknown>;
    route: Record<string, unknown>;
    receivers: Receiver[];
  };
  const global = Object.fromEntries(
    Object.entries(config.global ?? {}).filter(([key]) => !key.startsWith('smtp_')),
  );
  const receivers = config.receivers.map((r) => {
    const slack = (r.slack_configs as Record<string, unknown>[] | undefined)?.map((s) => ({
      ...s,
      api_url_file: slackUrlFile,
    }));
    return slack === undefined ? { name: r.name } : { name: r.name, slack_configs: slack };
  });
  return stringify({
    ...config,
    global,
    route: { ...config.route, group_wait: '1s', group_interval: '1s' },
    receivers,
  });
}
