/**
 * `tickerdesk_permission_refusals_total` (issue 15, part 6): exported at 0 for each action and reason from the start,
 * and moved by each refusal the permission policy makes. The text is parsed by a Prometheus text-format parser.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { createRunMetrics } from '../../src/ops/run-metrics.js';
import { Permissions } from '../../src/slack/permissions.js';

async function refusals(metrics: ReturnType<typeof createRunMetrics>): Promise<Record<string, number>> {
  const families = parsePrometheusTextFormat(await metrics.registry.metrics());
  const family = families.find((f) => f.name === 'tickerdesk_permission_refusals_total');
  expect(family?.type).toBe('COUNTER');
  return Object.fromEntries(
    (family?.metrics ?? []).map((m) => [`${m.labels?.action}/${m.labels?.reason}`, Number(m.value)]),
  );
}

describe('tickerdesk_permission_refusals_total', () => {
  it('starts at 0 for every kind and counts the refusals by action and reason', async () => {
    const metrics = createRunMetrics({ defaultMetrics: false });
    expect(await refusals(metrics)).toEqual({ 'research/user': 0, 'research/channel': 0, 'admin/admin': 0 });
    const told: string[] = [];
    const permissions = new Permissions(
      { allowedUsers: ['U0ALICE'], allowedChannels: ['C0DESK'], adminUsers: ['U0BOSS'] },
      {
        logger,
        onRefused: (r) => {
          told.push(`${r.user} ${r.what ?? ''}`);
          metrics.countRefusal(r.action, r.reason);
        },
      },
    );
    expect(permissions.check('research', 'U0BOB', 'C0DESK', '/research-stock NVDA')?.reason).toBe('user');
    expect(permissions.check('research', 'U0ALICE', 'C0OTHER')?.reason).toBe('channel');
    expect(permissions.check('admin', 'U0ALICE', 'C0DESK', '/perf reset')?.reason).toBe('admin');
    expect(permissions.check('admin', 'U0BOSS', 'C0DESK', '/perf reset')).toBeUndefined();
    expect(permissions.check('research', 'U0ALICE', 'C0DESK')).toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect(told).toEqual(['U0BOB /research-stock NVDA', 'U0ALICE ', 'U0ALICE /perf reset']);
    expect(await refusals(metrics)).toEqual({ 'research/user': 1, 'research/channel': 1, 'admin/admin': 1 });
  });
});
