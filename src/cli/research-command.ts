/**
 * `research TICKER`: one run through the shared runtime, progress on stderr, the report (or `--json`) on stdout.
 * Exit codes: 0 success (also a degraded report), 2 bad input (not a ticker, several, unknown ticker, an `--out`
 * folder that cannot be written, checked before the run), 1 failure,
 * 130 cancelled (Ctrl-C), as shells report a process stopped by SIGINT.
 */
import { type Config, loadConfig } from '../config.js';
import { dataSourceNotices } from '../data-config.js';
import { asTickerdeskError, ErrorCode, InvalidInputError } from '../errors.js';
import type { Logger } from '../log.js';
import { openRedisRunLog } from '../metrics/run-log.js';
import { openMetricsStore } from '../metrics/store.js';
import type { RunResult } from '../research/types.js';
import type { Runtime, WriterChoice } from '../runtime.js';
import { normalizeTicker, TICKER_USAGE } from '../tickers.js';
import { redactRedisUrl } from '../tools/redis-url.js';
import type { CliIo } from './io.js';
import { attachProgress, type Progress, showStarting } from './progress.js';
import { attachReportPrinter } from './report-printer.js';
import { formatFooter, resultJson } from './summary.js';

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, failure: 1, badInput: 2, cancelled: 130 } as const;

/** The usage line printed with every input error. */
export const RESEARCH_USAGE =
  'Usage: npm run research -- TICKER [--fresh] [--json] [--writer template|claude] [--out DIR]  (one symbol, e.g. NVDA, $AAPL or BRK.B)';

/** Options of the `research` command. */
export interface ResearchFlags {
  fresh?: boolean;
  json?: boolean;
  writer?: WriterChoice;
  /** Also save the report (`DIR/TICKER-YYYY-MM-DD.md`) and its price chart (`.png`) in this folder. */
  out?: string;
}

/** What the command needs from its surroundings. */
export interface ResearchDeps {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Aborting it cancels the run (Ctrl-C, SIGTERM, SIGHUP); a string `reason` says why ("stopped by SIGTERM"). */
  signal?: AbortSignal;
}

/** Record a rejected input in the run log (only that), never failing the command. */
async function recordRejection(config: Config, input: string, reason: string, logger: Logger): Promise<void> {
  try {
    const store = config.cacheUrl ? await openRedisRunLog(config) : await openMetricsStore(config.metricsPath);
    try {
      await store.recordRejection({ input, reason, via: 'cli', requester: 'cli' });
    } finally {
      await store.close();
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    logger.warn(
      { err: reason },
      `could not record the rejected input in the run log ${config.cacheUrl ? redactRedisUrl(config.cacheUrl) : config.metricsPath} (${reason})`,
    );
  }
}

/**
 * Save the report and its chart in `dir` and print their paths (on stderr with `--json`, so stdout stays JSON).
 * @returns the exit code: 1 when the folder cannot be written.
 */
async function saveReport(result: RunResult, dir: string, json: boolean, io: CliIo): Promise<number> {
  // Loaded here: the chart stack (Vega, resvg) only when files are asked for.
  const { writeReportFiles } = await import('../report/files.js');
  try {
    const files = await writeReportFiles(result, dir);
    const lines = [`Report saved: ${files.markdownPath}`];
    lines.push(files.pngPath ? `Chart saved: ${files.pngPath}` : `No chart: ${files.chartProblem ?? 'not drawn'}`);
    (json ? io.stderr : io.stdout).write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    io.stderr.write(`error: the report could not be saved in ${dir}: ${reason}\n`);
    return EXIT.failure;
  }
}

/**
 * Research `words` (the ticker argument(s); several words are rejected) and print the report.
 * @returns the exit code.
 */
export async function researchCommand(
  words: readonly string[],
  flags: ResearchFlags,
  deps: ResearchDeps,
): Promise<number> {
  const { io, logger } = deps;
  const fail = (message: string, code: number) => {
    io.stderr.write(`error: ${message}\n`);
    if (code === EXIT.badInput) io.stderr.write(`${RESEARCH_USAGE}\n`);
    if (flags.json) io.stdout.write(`${JSON.stringify({ error: { message } })}\n`);
    return code;
  };

  let config: Config;
  try {
    config = loadConfig(deps.env);
  } catch (err) {
    return fail(asTickerdeskError(err).message, EXIT.failure);
  }
  const input = words.join(' ');
  let ticker: string;
  try {
    ticker = normalizeTicker(input);
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    await recordRejection(config, input, err.message, logger);
    return fail(err.message.replace(` ${TICKER_USAGE}`, ''), EXIT.badInput);
  }

  // A folder the report cannot be saved in is refused now, not after the whole run.
  if (flags.out !== undefined) {
    const { folderProblem } = await import('../report/atomic-write.js');
    const problem = await folderProblem(flags.out);
    if (problem) return fail(`--out: the report cannot be saved in ${flags.out}: ${problem}.`, EXIT.badInput);
  }

  // Ctrl-C while the runtime was loading: stop here rather than start a run nobody wants.
  // Why it was stopped: the abort reason (Ctrl-C, SIGTERM, a closed terminal), "stopped from the terminal" by default.
  const why = () => (typeof deps.signal?.reason === 'string' ? deps.signal.reason : 'stopped from the terminal');
  const cancelled = () => fail(`The run was cancelled: ${why()}.`, EXIT.cancelled);
  if (deps.signal?.aborted) return cancelled();
  const clearStarting = showStarting(io.stderr, ticker);
  let runtime: Runtime;
  try {
    // Loaded here so that rejected input never loads the pipeline, the gateway or the writers.
    const { createRuntime } = await import('../runtime.js');
    runtime = await createRuntime(config, { logger, ...(flags.writer ? { writer: flags.writer } : {}) });
  } catch (err) {
    clearStarting();
    return fail(asTickerdeskError(err).message, EXIT.failure);
  } finally {
    clearStarting();
  }
  for (const notice of dataSourceNotices(config.data)) logger.warn(notice);
  try {
    if (deps.signal?.aborted) return cancelled();
    const handle = runtime.research.start(ticker, {
      requester: { user: 'cli', via: 'cli' },
      ...(flags.fresh ? { fresh: true } : {}),
    });
    const onAbort = () => handle.cancel(why());
    deps.signal?.addEventListener('abort', onAbort, { once: true });
    // The printer subscribes first (its text goes out before progress notes a section ready); both share the
    // terminal: the progress line is erased around report text and not drawn while a report line is unfinished.
    let progress: Progress | undefined;
    const printer = flags.json
      ? undefined
      : attachReportPrinter(handle, io.stdout, {
          progress: { clear: () => progress?.clear(), redraw: () => progress?.redraw() },
        });
    progress = attachProgress(handle, io.stderr, {
      // A terminal line is only at risk when stdout is that terminal; plain heartbeats may share a file with it.
      canDraw: () => !(printer?.midLine() === true && (io.stdout.isTTY === true || io.stderr.isTTY !== true)),
    });
    try {
      const result = await handle.result;
      progress.stop();
      io.stdout.write(flags.json ? resultJson(result) : formatFooter(result));
      if (flags.out !== undefined) return await saveReport(result, flags.out, flags.json === true, io);
      return EXIT.ok;
    } catch (err) {
      progress.stop();
      const error = asTickerdeskError(err);
      const bad = error.code === ErrorCode.UnknownTicker || error.code === ErrorCode.InvalidInput;
      return fail(
        error.message,
        bad ? EXIT.badInput : error.code === ErrorCode.Cancelled ? EXIT.cancelled : EXIT.failure,
      );
    } finally {
      deps.signal?.removeEventListener('abort', onAbort);
    }
  } catch (err) {
    const error = asTickerdeskError(err);
    return fail(error.message, error.code === ErrorCode.InvalidInput ? EXIT.badInput : EXIT.failure);
  } finally {
    await runtime.close();
  }
}
