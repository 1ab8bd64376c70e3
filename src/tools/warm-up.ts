/**
 * Warm a long-lived instance's tool gateway before the first request: spawn its MCP servers and run each tool of
 * a research run once, so that the first user does not pay the server's start (0.2–1.4 s, see `npm run bench`) and
 * the first use of every tool's code path (~0.15 s). Call it, without awaiting, right after building the runtime.
 */
import { performance } from 'node:perf_hooks';
import { type Logger, logger as rootLogger } from '../log.js';
import type { ToolGateway, ToolRequest } from './types.js';

/** What {@link warmUpGateway} did. */
export interface WarmUpReport {
  /** Calls that answered (data or a definitive "unavailable"). */
  ok: number;
  /** Calls that failed (logged; the gateway keeps working and retries on real requests). */
  failed: number;
  /** Wall time, ms. */
  ms: number;
}

/**
 * Make `requests` (e.g. `planRequests('MSFT').map((p) => p.request)`) side by side, bypassing cache reads (their
 * answers are still cached). Never rejects.
 * @example void warmUpGateway(runtime.gateway, planRequests('MSFT').map((p) => p.request));
 */
export async function warmUpGateway(
  gateway: ToolGateway,
  requests: readonly ToolRequest[],
  logger: Logger = rootLogger,
): Promise<WarmUpReport> {
  const t0 = performance.now();
  const settled = await Promise.allSettled(requests.map((r) => gateway.call(r, { fresh: true })));
  const failed = settled.filter(
    (s) => s.status === 'rejected' && (s.reason as { code?: string })?.code !== 'tickerdesk_data_unavailable',
  ).length;
  const report = { ok: settled.length - failed, failed, ms: Math.round(performance.now() - t0) };
  if (failed > 0)
    logger.warn(report, 'Warming the tool gateway: some tools failed; they will be retried on real requests');
  else logger.info(report, 'Tool gateway warmed: MCP servers started, every tool used once');
  return report;
}
