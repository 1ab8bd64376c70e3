/**
 * Whether this instance can serve a request now (`GET /readyz`): its configuration was valid (it is running), its
 * tool cache answers, and our MCP data server is started and lists its tools. Each check is bounded, so a probe
 * answers within {@link ReadinessOptions.timeoutMs} even when a part hangs.
 */
import { performance } from 'node:perf_hooks';
import { bounded } from './tools/bounded.js';
import type { ToolGateway } from './tools/types.js';

/** One check's outcome. */
export interface ReadinessCheck {
  ok: boolean;
  /** What was found, in words (`7 tools`, `not reachable`, the error). */
  detail: string;
}

/** What {@link Readiness.check} found. */
export interface ReadinessReport {
  /** True when every check is ok. */
  ready: boolean;
  checks: { config: ReadinessCheck; cache: ReadinessCheck; mcpServer: ReadinessCheck };
  /** Time the checks took, ms. */
  ms: number;
}

/** Checks readiness on demand. */
export interface Readiness {
  check(): Promise<ReadinessReport>;
  /**
   * Check every `intervalMs` (default 250) until ready, for at most `timeoutMs` (default 60 s).
   * @returns the first ready report, or the last one when time ran out.
   */
  untilReady(options?: { intervalMs?: number; timeoutMs?: number }): Promise<ReadinessReport>;
}

/** Options of {@link createReadiness}. */
export interface ReadinessOptions {
  /** The runtime's gateway (its cache and MCP servers). */
  gateway: ToolGateway;
  /** The mounted server that must list its tools. */
  server: string;
  /** Bound on each check, ms. @default 5000 */
  timeoutMs?: number;
}

/**
 * Readiness of an instance built around `gateway`. A check of the MCP server starts it when it is not running (a
 * server that died is started again), so the first check at boot is what starts it.
 */
export function createReadiness(options: ReadinessOptions): Readiness {
  const timeoutMs = options.timeoutMs ?? 5000;
  const { gateway, server } = options;
  const within = <T>(what: string, fn: () => Promise<T>) =>
    bounded(fn, timeoutMs, new Error(`${what} did not answer within ${timeoutMs} ms`));

  const cache = async (): Promise<ReadinessCheck> => {
    if (!gateway.cacheReachable) return { ok: true, detail: 'no cache to check' };
    try {
      return (await within('the tool cache', () => gateway.cacheReachable?.() ?? Promise.resolve(true)))
        ? { ok: true, detail: 'reachable' }
        : { ok: false, detail: 'not reachable (runs go on uncached)' };
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  };
  const mcpServer = async (): Promise<ReadinessCheck> => {
    if (!gateway.serverTools) return { ok: false, detail: 'the gateway cannot list tools' };
    try {
      const tools = await within(`MCP server ${server}`, () => gateway.serverTools?.(server) ?? Promise.resolve([]));
      return tools.length > 0
        ? { ok: true, detail: `${tools.length} tools` }
        : { ok: false, detail: 'no tools listed' };
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  };

  const check = async (): Promise<ReadinessReport> => {
    const started = performance.now();
    const [cacheCheck, serverCheck] = await Promise.all([cache(), mcpServer()]);
    const checks = { config: { ok: true, detail: 'valid' }, cache: cacheCheck, mcpServer: serverCheck };
    return {
      ready: Object.values(checks).every((c) => c.ok),
      checks,
      ms: Math.round(performance.now() - started),
    };
  };

  return {
    check,
    async untilReady({ intervalMs = 250, timeoutMs: within = 60_000 } = {}) {
      const until = performance.now() + within;
      for (;;) {
        const report = await check();
        if (report.ready || performance.now() + intervalMs > until) return report;
        await new Promise((resolve) => setTimeout(resolve, intervalMs).unref());
      }
    },
  };
}
