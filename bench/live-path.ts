/**
 * The live flow's critical path: how soon a cold report could finish if every upstream request it needs took only
 * its own service time and SEC allowed its full 10 requests per second, with nothing else in the way (no queueing of
 * our own, no spacing beyond SEC's limit, no process or pipeline overhead beyond the stages after prefetch).
 *
 * SEC allows 10 requests in any second: up to 10 may start at once, the 11th a second after the first, and so on, so
 * the k-th of a run of requests (from 0) starts at ⌊k ÷ 10⌋ s at the earliest.
 *
 * A report's requests form three chains, which can run side by side:
 * - SEC ticker map → submissions → the Form 4 filings the submissions list (each taking its own service time, 10 at
 *   a time: the chain's Form 4 part costs ⌊(count − 1) ÷ 10⌋ s plus the slowest Form 4);
 * - SEC ticker map → companyfacts (the statements);
 * - the price chart (Yahoo), or Stooq's CSV after it.
 * And every SEC request together cannot start faster than SEC allows: the SEC floor is ⌊(count − 1) ÷ 10⌋ s plus the
 * last request's service time. The bound is the longest of these, plus the run's stages after prefetch (analysts and
 * sections, measured).
 */

/** One upstream request as a stand-in logged it (arrival and answer times, ms since the epoch). */
export interface ServedRequest {
  path: string;
  at: number;
  doneAt: number;
}

/** SEC's fair-access limit, requests per second. */
export const SEC_LIMIT_PER_SECOND = 10;

const service = (r: ServedRequest) => Math.max(0, r.doneAt - r.at);
/** Earliest start of the last of `count` requests under SEC's 10 in any second, ms after the first. */
const secWaitMs = (count: number) => Math.floor(Math.max(0, count - 1) / SEC_LIMIT_PER_SECOND) * 1000;
const slowest = (rs: readonly ServedRequest[]) => (rs.length === 0 ? 0 : Math.max(...rs.map(service)));

/** The parts of the critical path, ms. */
export interface LiveCriticalPath {
  /** The longest upstream chain or the SEC floor, whichever is longer. */
  upstreamMs: number;
  /** `upstreamMs` + the stages after prefetch. */
  totalMs: number;
  /** Which bound was the longest: `sec-chain`, `facts-chain`, `prices` or `sec-rate`. */
  limitedBy: 'sec-chain' | 'facts-chain' | 'prices' | 'sec-rate';
}

/**
 * The critical path of one cold report from the requests it made (`sec`, `prices`: the stand-ins' logs for that
 * report only) and its stages after prefetch, ms.
 */
export function liveCriticalPath(
  sec: readonly ServedRequest[],
  prices: readonly ServedRequest[],
  afterPrefetchMs: number,
): LiveCriticalPath {
  const of = (re: RegExp) => sec.filter((r) => re.test(r.path));
  const map = slowest(of(/company_tickers/));
  const form4 = of(/^\/Archives\//);
  const form4Ms = form4.length === 0 ? 0 : secWaitMs(form4.length) + slowest(form4);
  const chains: [LiveCriticalPath['limitedBy'], number][] = [
    ['sec-chain', map + slowest(of(/^\/submissions\//)) + form4Ms],
    ['facts-chain', map + slowest(of(/companyfacts/))],
    // Stooq is asked only after Yahoo failed: their slowest requests add up.
    [
      'prices',
      slowest(prices.filter((r) => r.path.includes('/chart/'))) +
        slowest(prices.filter((r) => !r.path.includes('/chart/'))),
    ],
    ['sec-rate', sec.length === 0 ? 0 : secWaitMs(sec.length) + service(sec[sec.length - 1] as ServedRequest)],
  ];
  const [limitedBy, upstreamMs] = chains.reduce((a, b) => (b[1] > a[1] ? b : a));
  return { upstreamMs, totalMs: upstreamMs + afterPrefetchMs, limitedBy };
}
