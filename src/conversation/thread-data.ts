/**
 * {@link ThreadData} over the tool gateway: a ticker's bundle with only the parts an answer needs, fetched with the
 * run's own plan and prefetch (cache → single-flight → MCP server), so a part a run, another answer or a prefetch
 * already fetched costs no server call.
 */
import { planRequests, TICKERDESK_SERVER } from '../research/plan.js';
import { prefetch } from '../research/prefetch.js';
import type { BundleKey, BundlePart, DataBundle } from '../research/types.js';
import type { ToolGateway } from '../tools/types.js';
import type { AnswerToolCall, FetchedBundle, ThreadData } from './types.js';

const ALL_PARTS: readonly BundleKey[] = planRequests('X').map((p) => p.part);

/** A part left out of an answer's fetch. */
function notFetched(part: BundleKey): BundlePart<never> {
  return { status: 'unavailable', reason: `The ${part} was not fetched for this answer.`, source: 'tickerdesk/answer' };
}

/** Thread data read through `gateway` (our data server, `tickerdesk`). */
export function gatewayThreadData(gateway: ToolGateway): ThreadData {
  return {
    async bundle(ticker, { parts = ALL_PARTS, signal, annualPeriods }): Promise<FetchedBundle> {
      const plan = planRequests(ticker)
        .filter((p) => parts.includes(p.part))
        .map((p) =>
          p.part === 'financialsAnnual' && annualPeriods !== undefined
            ? { ...p, request: { ...p.request, args: { ...p.request.args, limit: annualPeriods } } }
            : p,
        );
      const toolCalls: AnswerToolCall[] = [];
      const outcome = await prefetch(gateway, ticker, plan, {
        signal,
        onToolCallFinished: (e) =>
          toolCalls.push({
            tool: `${e.request.server}/${e.request.tool}`,
            args: e.request.args,
            cache: e.cache === 'error' ? (e.unavailable ?? 'error') : e.cache,
            ms: e.ms,
          }),
      });
      const bundle = { ...outcome.bundle } as DataBundle;
      for (const part of ALL_PARTS) if (!(part in bundle)) Object.assign(bundle, { [part]: notFetched(part) });
      return { bundle, toolCalls };
    },
    async knownTickers() {
      return gateway.knownTickers?.(TICKERDESK_SERVER).catch(() => undefined);
    },
  };
}
