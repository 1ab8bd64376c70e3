/**
 * A report whose consensus comes from Finnhub, on the real runtime (gateway, MCP data server over stdio) against the
 * Finnhub and price stand-ins: with a key that has the price target, the consensus line names Finnhub for the ratings
 * and the target; with a free key (Finnhub answers 403 on the premium price target) the report uses Finnhub's live
 * ratings, says in its consensus line and its News & events section that the target is not available on this key,
 * and states no target figure (nor the bundled snapshot's).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildReportMarkdown } from '../../src/report/markdown.js';
import type { RunResult } from '../../src/research/types.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { type FinnhubStandIn, SAMPLE_PRICE_TARGET, startFinnhubStandIn } from '../helpers/finnhub-stand-in.js';
import { type PriceStandIn, startPriceStandIn } from '../helpers/price-stand-in.js';

const KEY = 'free-finnhub-key';

let finnhub: FinnhubStandIn;
let prices: PriceStandIn;
const homes: string[] = [];
const runtimes: Runtime[] = [];

beforeAll(async () => {
  [finnhub, prices] = await Promise.all([
    startFinnhubStandIn(KEY, {
      NVDA: {
        recommendations: [{ period: '2026-12-01', strongBuy: 25, buy: 35, hold: 4, sell: 0, strongSell: 0 }],
        priceTarget: SAMPLE_PRICE_TARGET,
        price: 175,
        news: [],
      },
    }),
    startPriceStandIn(),
  ]);
});

afterAll(async () => {
  await Promise.allSettled(runtimes.map((r) => r.close()));
  await Promise.all([finnhub?.close(), prices?.close()]);
  for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
});

/** One NVDA report on a fresh runtime (own cache) with Finnhub keyed, SEC off (no User-Agent), prices live. */
async function report(): Promise<{ result: RunResult; markdown: string }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-finnhub-report-'));
  homes.push(home);
  const runtime = await createRuntime(
    loadConfig({
      TICKERDESK_HOME: home,
      LOG_LEVEL: 'warn',
      DATA_SOURCE: 'auto',
      FINNHUB_API_KEY: KEY,
      FINNHUB_URL: finnhub.url,
      YAHOO_CHART_URL: prices.url,
      STOOQ_URL: prices.url,
      UPSTREAM_RETRIES: '0',
    }),
  );
  runtimes.push(runtime);
  const result = await runtime.research.start('NVDA').result;
  return { result, markdown: buildReportMarkdown(result) };
}

const section = (result: RunResult, id: string) => result.sections.find((s) => s.id === id)?.markdown ?? '';

describe('a report with consensus from Finnhub', () => {
  it('names Finnhub for the ratings and the price target when the key has both', async () => {
    const { result, markdown } = await report();
    expect(markdown).toContain('- Consensus: Finnhub (live), ratings and price target as of 2026-12-04');
    const figures = result.findings.find((f) => f.analyst === 'news')?.figures ?? [];
    expect(figures.find((f) => f.name === 'target_mean')).toMatchObject({ value: 210 });
    expect(section(result, 'news')).toMatch(/mean price target of \$210\.00/);
  });

  it('uses the live ratings on a free key and says the price target is not available, stating none', async () => {
    finnhub.fault(/\/stock\/price-target/, { kind: 'status', status: 403 });
    try {
      const { result, markdown } = await report();
      expect(markdown).toContain(
        '- Consensus: Finnhub (live), ratings as of 2026-12-01; price target not available from Finnhub on this key (a premium endpoint)',
      );
      const figures = result.findings.find((f) => f.analyst === 'news')?.figures ?? [];
      expect(figures.find((f) => f.name === 'analyst_count')).toMatchObject({ value: 64, period: '2026-12-01' });
      expect(figures.filter((f) => /^target_|implied_upside/.test(f.name))).toEqual([]);
      const news = section(result, 'news');
      expect(news).toContain('64 analysts cover NVDA, with a consensus rating of buy (2026-12-01).');
      expect(news).toContain('Price target not available from Finnhub on this key (a premium endpoint).');
      expect(markdown).not.toMatch(/price target of \$|Mean price target/);
    } finally {
      finnhub.clearFaults();
    }
  });
});
