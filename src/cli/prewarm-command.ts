/**
 * `prewarm` (`npm run prewarm`): one prewarm now, by hand — the most requested tickers (`PREWARM_TOP_N`, or
 * `--top N`) plus `PREWARM_TICKERS` (or `--tickers`) plus, with the digests on (`WATCHLIST_DIGEST`), the tickers the
 * channels watch — refreshed in the tool cache as the scheduled prewarm does, with
 * a progress bar on a terminal (cli-progress; one line per ticker otherwise) and a summary: tickers refreshed, tool
 * calls, upstream requests, time, failures. Ctrl-C stops it between calls (exit 130).
 */
import fs from 'node:fs';
import { SingleBar } from 'cli-progress';
import { type Config, loadConfig } from '../config.js';
import { asTickerdeskError } from '../errors.js';
import { formatMs } from '../metrics/format.js';
import { openPrewarmLogFor, type PrewarmLog } from '../metrics/prewarm-log.js';
import { type PrewarmSummary, runPrewarm } from '../ops/prewarm/run.js';
import { createToolGateway } from '../tools/index.js';
import { redactRedisUrl } from '../tools/redis-url.js';
import { openWatchlistStore, type WatchedTickers, watchedTickers } from '../watchlists/store.js';
import type { CliDeps } from './program.js';
import { EXIT } from './research-command.js';

/** Options of the `prewarm` command. */
export interface PrewarmFlags {
  /** How many of the most requested tickers. @default PREWARM_TOP_N (50) */
  top?: number;
  /** Tickers to refresh too, comma-separated. @default PREWARM_TICKERS */
  tickers?: string;
}

/**
 * The summary printed at the end, plain text. `watched`: the channels' watched tickers when they were read (the line
 * "watchlists", shown when a channel has a list, says how many of the tickers chosen are watched). Exported for tests.
 */
export function formatPrewarmSummary(s: PrewarmSummary, watched?: WatchedTickers): string {
  // Nothing chosen: say why, not "0 of 0 tickers refreshed" above a table of zeros.
  if (s.tickers.length === 0 && !s.stopped) {
    const sources = watched ? ', no PREWARM_TICKERS and no channel watchlist' : ' and no PREWARM_TICKERS';
    return `No tickers to refresh: no runs in the last 30 days${sources} (or --tickers NVDA,AMD).\n`;
  }
  const fromLists = watched ? s.tickers.filter((t) => watched.tickers.includes(t)).length : 0;
  const lines = [
    `Prewarm ${s.stopped ? 'stopped' : 'done'}: ${s.refreshed} of ${s.tickers.length} tickers refreshed in ${formatMs(s.ms)}.`,
    ...(watched && watched.channels > 0
      ? [
          `  watchlists         ${fromLists} of them watched in ${watched.channels} channel${watched.channels === 1 ? '' : 's'}`,
        ]
      : []),
    `  tool calls         ${s.toolCalls} (${s.serverCalls} sent to a data server, the rest still cached)`,
    `  upstream requests  ${s.upstreamRequests}`,
    `  failures           ${s.failures.length}`,
    ...s.failures.map((f) => `    ${f.ticker}: ${f.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The tickers the channels watch, as the scheduled prewarm adds them: only with the digests on (`WATCHLIST_DIGEST`),
 * and not when no list was ever kept (no `watchlists.sqlite` and no `CACHE_URL`: nothing is created). A store that
 * cannot answer is said on stderr and its tickers left out.
 */
async function readWatched(config: Config, deps: CliDeps): Promise<WatchedTickers | undefined> {
  if (!config.watchlists.digest) return undefined;
  if (!config.cacheUrl && !fs.existsSync(config.watchlists.path)) return { tickers: [], channels: 0 };
  const store = await openWatchlistStore(
    { sqlitePath: config.watchlists.path, redisUrl: config.cacheUrl },
    {
      logger: deps.logger,
      opTimeoutMs: config.cacheTimeouts.opMs,
      connectTimeoutMs: config.cacheTimeouts.connectMs,
    },
  );
  try {
    return await watchedTickers(store);
  } catch (err) {
    deps.io.stderr.write(`warning: ${asTickerdeskError(err).message} The watched tickers are left out.\n`);
    return undefined;
  } finally {
    await store.close().catch(() => undefined);
  }
}

/** A progress display: cli-progress's bar on a terminal, else one line per ticker. */
function progressDisplay(deps: CliDeps): {
  tick(p: { ticker: string; done: number; total: number; ok: boolean }): void;
  stop(): void;
} {
  const out = deps.io.stderr;
  if (!out.isTTY) {
    return {
      tick: (p) => out.write(`prewarm: ${p.ticker} ${p.ok ? 'refreshed' : 'failed'} (${p.done}/${p.total})\n`),
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({
    stream: out as NodeJS.WriteStream,
    format: 'prewarm [{bar}] {value}/{total} tickers  {ticker}  {duration_formatted}',
    hideCursor: true,
    clearOnComplete: false,
  });
  let started = false;
  return {
    tick(p) {
      if (!started) {
        bar.start(p.total, 0, { ticker: '' });
        started = true;
      }
      bar.update(p.done, { ticker: p.ticker });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/**
 * Run one prewarm and print its summary.
 * @returns 0, 1 when a ticker failed or the cache and data server cannot be used, 2 for bad configuration, and
 *   {@link EXIT.cancelled} when stopped.
 */
export async function prewarmCommand(flags: PrewarmFlags, deps: CliDeps): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(deps.env);
  } catch (err) {
    deps.io.stderr.write(`error: ${asTickerdeskError(err).message}\n`);
    return EXIT.badInput;
  }
  const extra = flags.tickers === undefined ? config.prewarm.tickers : flags.tickers.split(/[\s,]+/).filter(Boolean);
  let log: PrewarmLog | undefined;
  try {
    log = await openPrewarmLogFor(config);
  } catch (err) {
    deps.io.stderr.write(
      `warning: the run log ${config.cacheUrl ? redactRedisUrl(config.cacheUrl) : config.metricsPath} cannot be read (${asTickerdeskError(err).message}); refreshing only the given tickers, unrecorded.\n`,
    );
  }
  const watched = await readWatched(config, deps);
  const gateway = await createToolGateway(config, { logger: deps.logger });
  const progress = progressDisplay(deps);
  let summary: PrewarmSummary;
  try {
    summary = await runPrewarm(
      { gateway, log, logger: deps.logger },
      {
        topN: flags.top ?? config.prewarm.topN,
        extraTickers: [...extra, ...(watched?.tickers ?? [])],
        callsPerSecond: config.prewarm.callsPerSecond,
        ...(deps.signal ? { signal: deps.signal } : {}),
        onTicker: (p) => progress.tick(p),
      },
    );
  } finally {
    progress.stop();
    await gateway.close().catch(() => undefined);
    await log?.close().catch(() => undefined);
  }
  deps.io.stdout.write(formatPrewarmSummary(summary, watched));
  if (summary.stopped) return EXIT.cancelled;
  return summary.failures.length > 0 ? EXIT.failure : EXIT.ok;
}
