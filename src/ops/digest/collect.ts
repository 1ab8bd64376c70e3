/**
 * A watched ticker's snapshot, read through the tool gateway with the very requests a research run (and so the
 * prewarm) makes — prices, consensus, company events and quarterly statements from `planRequests` — so after the
 * prewarm every one of them is a cache hit and the digest costs no upstream request. Calls go in the background lane.
 */
import { DataUnavailableError } from '../../errors.js';
import type { AnalystRatings, CompanyNews, PriceRow, Provenance } from '../../mcp-server/shapes.js';
import { PART_LABELS, planRequests } from '../../research/plan.js';
import type { BundleKey } from '../../research/types.js';
import type { ToolGateway } from '../../tools/types.js';
import { type SnapshotParts, snapshotOf } from '../../watchlists/snapshot.js';
import type { TickerSnapshot } from '../../watchlists/types.js';

/** The parts of a run's plan a digest reads. */
export const DIGEST_PARTS = [
  'prices',
  'analyst',
  'news',
  'financialsQuarterly',
] as const satisfies readonly BundleKey[];

/**
 * Read `ticker`'s snapshot. A part that fails is named in the snapshot's `missing` ("no analyst coverage" answers
 * leave it out silently); never rejects.
 * @param today the UTC date the prewarm planned its requests with (`YYYY-MM-DD`), so the keys match its entries.
 */
export async function collectSnapshot(
  gateway: ToolGateway,
  ticker: string,
  today: string,
  signal?: AbortSignal,
): Promise<TickerSnapshot> {
  const planned = planRequests(ticker, today).filter((p) => (DIGEST_PARTS as readonly BundleKey[]).includes(p.part));
  const parts: SnapshotParts = {};
  // Each failure in its part's place: the snapshot names them in plan order, not in the order the calls answered.
  const missing: (string | undefined)[] = planned.map(() => undefined);
  await Promise.all(
    planned.map(async ({ part, request }, i) => {
      try {
        const { data } = await gateway.call(request, { priority: 'background', ...(signal ? { signal } : {}) });
        if (part === 'prices') parts.prices = data as { bars: PriceRow[] };
        else if (part === 'analyst') parts.analyst = data as AnalystRatings;
        else if (part === 'news') parts.news = data as CompanyNews;
        else parts.statements = data as { provenance?: Provenance };
      } catch (err) {
        if (err instanceof DataUnavailableError && part !== 'prices') return;
        missing[i] = `${PART_LABELS[part]} (${err instanceof Error ? err.message : String(err)})`;
      }
    }),
  );
  return snapshotOf(ticker, { ...parts, missing: missing.filter((m): m is string => m !== undefined) });
}
