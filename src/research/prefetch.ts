/**
 * Stage 1, prefetch: every planned tool call at once through the gateway, each result landing in its bundle part
 * as `ok`, `unavailable` (the data set lacks it: `DataUnavailableError`) or `failed` (any other error). The stage
 * costs the slowest call, not the sum. An unknown ticker (the profile call fails with `UnknownTickerError`) fails
 * the run, and so does a prefetch in which every call failed (the data server is down, the data set is missing):
 * a report with no data at all would be a verdict on nothing. Any other failure degrades its part and the run goes on.
 * A ticker the data server's ticker directory does not list sends the profile call alone (see {@link firstBatch}).
 */
import {
  ErrorCode,
  errorMessage,
  NoDataError,
  TickerdeskError,
  ToolFailedError,
  UnknownTickerError,
} from '../errors.js';
import { usageOf, withUsage } from '../mcp-server/upstream/usage.js';
import { answeredFrom } from '../tools/answered-from.js';
import type { ToolGateway, ToolRequest, ToolResult } from '../tools/types.js';
import { abortable, taskSignal } from './abort.js';
import { knownReason } from './analysts/common.js';
import { BUNDLE_KEYS, PART_LABELS, type PlannedRequest } from './plan.js';
import { fetchCause, type ProblemNote } from './problems.js';
import { bundlePartData } from './tool-results.js';
import type { BundleKey, BundlePart, DataBundle, RunEvents, RunResult } from './types.js';
import { upstreamOf } from './upstream.js';

/** Options for {@link prefetch}. */
export interface PrefetchOptions {
  /** Aborts waiting for the calls; the stage then rejects with the abort reason. */
  signal: AbortSignal;
  /** Skip cache reads (`--fresh`). */
  fresh?: boolean;
  /** Called as each call lands (done counts up from 1 to total), success or not. */
  onToolCallFinished?: (event: RunEvents['toolCallFinished']) => void;
  /** Called once, as soon as the profile lands, with the company's name. */
  onCompanyIdentified?: (event: RunEvents['companyIdentified']) => void;
  /** Clock for failed-call latencies, ms. @default Date.now */
  now?: () => number;
}

/** Tool call counts of one run (see `RunResult.tools`). */
export type ToolCounts = RunResult['tools'];

/** What prefetch hands to the rest of the run. */
export interface PrefetchOutcome {
  bundle: DataBundle;
  tools: ToolCounts;
  /** Plain-words notes for parts whose call failed (not for data that is merely unavailable). */
  problems: ProblemNote[];
}

function sourceOf(request: ToolRequest): string {
  return `${request.server}/${request.tool}`;
}

function isUnavailable(err: unknown): boolean {
  return err instanceof TickerdeskError && err.code === ErrorCode.DataUnavailable;
}

function isUnknownTicker(err: unknown): err is TickerdeskError {
  return err instanceof UnknownTickerError || (err instanceof TickerdeskError && err.code === ErrorCode.UnknownTicker);
}

/** Longest failure reason quoted when every call failed, in characters. */
const MAX_REASON_CHARS = 400;

/**
 * The error of a prefetch in which no call answered with data and `failed` of the `total` calls failed (the rest
 * answered "no data"): one message naming the first reason.
 */
function allFailedError(
  ticker: string,
  total: number,
  firstReason: string | undefined,
  failed = total,
): ToolFailedError {
  const reason =
    firstReason && firstReason.length > MAX_REASON_CHARS ? `${firstReason.slice(0, MAX_REASON_CHARS)}…` : firstReason;
  const calls =
    failed === total
      ? `all ${total} data tool calls failed`
      : `${failed} of ${total} data tool calls failed and the rest had no data`;
  return new ToolFailedError(
    'tickerdesk',
    `No data could be fetched for ${ticker}: ${calls}, so there is nothing to report on.` +
      (reason ? ` The first failure: ${reason}` : ''),
  );
}

/**
 * The answer for a ticker none of whose parts has data: the data server's known reasons, each said once, in the
 * bundle's part order (profile, statements, prices, …) whatever order the calls answered in.
 */
function noDataError(ticker: string, parts: Record<BundleKey, BundlePart<unknown>>): NoDataError {
  const inOrder = BUNDLE_KEYS.flatMap((key) => (parts[key] ? [parts[key]] : []));
  const reasons = inOrder.flatMap((p) => {
    // Only definitive "no data" answers give a known reason; a failed fetch (a fault, e.g. ENOTFOUND) gives none.
    const known = p.status === 'unavailable' ? knownReason(p.reason) : undefined;
    return known ? [known] : [];
  });
  return new NoDataError(ticker, [...new Set(reasons)]);
}

/**
 * Issue every request of `plan` at once and build the {@link DataBundle}.
 * @throws UnknownTickerError when the profile call says the ticker is unknown (as soon as it says so).
 * @throws ToolFailedError when every call failed (none answered with data or a definitive "unavailable").
 * @throws NoDataError (an UnknownTickerError) when no call answered with data: nothing to report on.
 * @throws the abort reason (a TickerdeskError) when `options.signal` aborts first.
 */
export function prefetch(
  gateway: ToolGateway,
  ticker: string,
  plan: readonly PlannedRequest[],
  options: PrefetchOptions,
): Promise<PrefetchOutcome> {
  const now = options.now ?? Date.now;
  const parts = {} as Record<BundleKey, BundlePart<unknown>>;
  const tools: ToolCounts = { total: plan.length, hits: 0, misses: 0, coalesced: 0, errors: 0, unavailable: 0 };
  const problems: ProblemNote[] = [];
  let done = 0;
  let unknownTicker: TickerdeskError | undefined;
  let firstFailure: string | undefined;

  const fresh = options.fresh ? { fresh: true } : {};

  const settle = (planned: PlannedRequest, startedAt: number) => ({
    ok: (result: ToolResult, data: unknown) => {
      if (options.signal.aborted) return; // the run is over; nobody reads this part any more
      const { part, request } = planned;
      parts[part] = {
        status: 'ok',
        data,
        source: result.source,
        fetchedAt: result.fetchedAt,
        cache: result.cache,
        ms: result.ms,
        ...(result.stale ? { stale: result.stale } : {}),
        ...(result.validatedBy ? { validatedBy: result.validatedBy } : {}),
      };
      if (result.cache === 'hit') tools.hits++;
      else if (result.cache === 'coalesced') tools.coalesced++;
      else tools.misses++;
      done++;
      if (part === 'profile') {
        const name = (result.data as { name?: unknown } | null)?.name;
        if (typeof name === 'string' && name) options.onCompanyIdentified?.({ ticker, name });
      }
      options.onToolCallFinished?.({ request, part, done, total: plan.length, cache: result.cache, ms: result.ms });
    },
    failed: (err: unknown) => {
      const { part, request } = planned;
      const reason = errorMessage(err);
      if (part === 'profile' && isUnknownTicker(err)) unknownTicker = err;
      const unavailable = isUnavailable(err) ? (answeredFrom(err) ?? 'miss') : undefined;
      // The upstream requests made for this answer, when this run's call made them (the gateway keeps them off a
      // cached or shared answer).
      const used = usageOf(err);
      const upstream = used ? { upstream: used } : {};
      if (unavailable) {
        parts[part] = { status: 'unavailable', reason, source: sourceOf(request), ...upstream };
        // A cached "no data" answer is served from the cache like data: no call was made for it.
        if (unavailable === 'hit') tools.hits++;
        else if (unavailable === 'coalesced') tools.coalesced++;
        else tools.unavailable = (tools.unavailable ?? 0) + 1;
      } else {
        parts[part] = { status: 'failed', reason, source: sourceOf(request), ...upstream };
        tools.errors++;
        firstFailure ??= reason;
        const { cause, tool } = fetchCause(reason);
        problems.push({
          text: `The ${PART_LABELS[part]} could not be fetched: ${reason}`,
          cause,
          kind: 'fetch',
          part: PART_LABELS[part],
          fetch: { key: part, ...(tool ? { tool } : {}) },
        });
      }
      done++;
      options.onToolCallFinished?.({
        request,
        part,
        done,
        total: plan.length,
        cache: 'error',
        ms: now() - startedAt,
        error: reason,
        ...(unavailable ? { unavailable } : {}),
      });
    },
  });

  const send = (batch: readonly PlannedRequest[]) =>
    Promise.all(
      batch.map((planned) => {
        const startedAt = now();
        const handlers = settle(planned, startedAt);
        let call: Promise<ToolResult>;
        try {
          call = gateway.call(planned.request, { signal: taskSignal(options.signal), ...fresh });
        } catch (err) {
          call = Promise.reject(err);
        }
        const landed = (result: ToolResult) => {
          let data: unknown;
          try {
            data = bundlePartData(planned.part, result.data);
          } catch (err) {
            // An answer not in the shape its tool publishes degrades its part like a failed call.
            const tool = sourceOf(planned.request);
            const reason = `The answer of ${tool} is not in its published shape (${errorMessage(err)}).`;
            handlers.failed(new ToolFailedError(tool, reason, { cause: err }));
            return;
          }
          handlers.ok(result, data);
        };
        return call.then(landed, (err: unknown) => {
          if (options.signal.aborted) return; // the run is over; nobody reads this part any more
          handlers.failed(err);
          if (unknownTicker) throw unknownTicker;
        });
      }),
    );

  const all = (async (): Promise<PrefetchOutcome> => {
    const first = await firstBatch(gateway, ticker, plan);
    await send(first);
    // The directory did not list a ticker the server knows after all: fetch the rest.
    if (first.length < plan.length) await send(plan.filter((p) => !first.includes(p)));
    // A run that ends here still accounts for the upstream requests its calls made (the run record keeps them).
    const spent = () => upstreamOf({ ticker, ...parts } as DataBundle);
    if (plan.length > 0 && tools.errors === plan.length) {
      throw withUsage(allFailedError(ticker, plan.length, firstFailure), spent());
    }
    // Not one part has data (the ticker is known, the data is not, e.g. reported in KRW only): no verdict on nothing.
    if (plan.length > 0 && !Object.values(parts).some((p) => p.status === 'ok')) {
      const noData = noDataError(ticker, parts);
      // Without a reason the data set knows, calls that failed (every live host unreachable with DATA_SOURCE=live)
      // say nothing about the ticker: a failure to fetch, not "no source has data for it".
      if (noData.reasons.length === 0 && tools.errors > 0) {
        throw withUsage(allFailedError(ticker, plan.length, firstFailure, tools.errors), spent());
      }
      throw withUsage(noData, spent());
    }
    const bundle = { ticker, ...parts } as DataBundle;
    return { bundle, tools, problems };
  })();
  return abortable(all, options.signal);
}

/**
 * The calls to send first: only the profile call when the data server's ticker directory lacks `ticker` (its answer
 * is the run's rejection, with close matches, and the other calls are never sent), else the whole plan. Without a
 * directory (a gateway or server that has none, or a read that failed) the whole plan goes at once.
 */
async function firstBatch(
  gateway: ToolGateway,
  ticker: string,
  plan: readonly PlannedRequest[],
): Promise<readonly PlannedRequest[]> {
  const profile = plan.find((p) => p.part === 'profile');
  if (!profile || !gateway.knownTickers) return plan;
  const known = await gateway.knownTickers(profile.request.server).catch(() => undefined);
  return known && !known.has(ticker) ? [profile] : plan;
}
