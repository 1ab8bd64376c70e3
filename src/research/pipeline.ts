/**
 * The research pipeline: prefetch → analysts → sections, as one run with typed events. Front ends (CLI, Slack) call
 * {@link createResearchService} once with their dependencies and `start` a run per request; listeners (the Slack
 * thread writer, the CLI printer, the metrics recorder) subscribe to the returned handle. The pipeline never knows
 * who listens.
 */
import { randomUUID } from 'node:crypto';
import { asTickerdeskError, RunCancelledError, type TickerdeskError, UnknownTickerError } from '../errors.js';
import { type Logger, logger as rootLogger } from '../log.js';
import { usageOf } from '../mcp-server/upstream/usage.js';
import { normalizeTicker } from '../tickers.js';
import type { ToolGateway } from '../tools/types.js';
import type { SectionContext, Writer } from '../writers/types.js';
import { abortReason } from './abort.js';
import type { EtaSource } from './eta.js';
import { planRequests, TICKERDESK_SERVER } from './plan.js';
import { prefetch } from './prefetch.js';
import { mergeProblems } from './problems.js';
import { runAnalysts } from './run-analysts.js';
import { RunEmitter } from './run-events.js';
import type {
  Eta,
  ResearchService,
  RunEvents,
  RunHandle,
  RunListener,
  RunResult,
  Stage,
  StartOptions,
} from './types.js';
import { upstreamOf } from './upstream.js';
import { decideVerdict } from './verdict.js';
import { writeSections } from './write-sections.js';

/** What the pipeline needs from the outside world. */
export interface ResearchServiceDeps {
  /** The only way the pipeline touches data. */
  gateway: ToolGateway;
  /** Makes the writer of one run (called once per run; `usage()` is read at the end). */
  createWriter: () => Writer;
  /** Run duration estimates, shown from the first event. Without it the ETA is `null`. */
  eta?: EtaSource;
  /** Parent logger; each run logs through a child with `runId` and `ticker`. @default the root logger */
  logger?: Logger;
  /** Clock, epoch ms. @default Date.now */
  now?: () => number;
}

/** A short id that sorts by start time: base-36 epoch ms, a dash, 8 random hex digits. */
export function newRunId(now: number = Date.now()): string {
  return `${now.toString(36)}-${randomUUID().slice(0, 8)}`;
}

/**
 * Build the research service.
 * @example
 * const research = createResearchService({ gateway, createWriter: createTemplateWriter });
 * const run = research.start('nvda', { requester: { via: 'cli' } });
 * run.on('sectionReady', ({ section }) => print(section));
 * const result = await run.result;
 */
export function createResearchService(deps: ResearchServiceDeps): ResearchService {
  return {
    start(rawTicker: string, options: StartOptions = {}): RunHandle {
      const ticker = normalizeTicker(rawTicker); // throws InvalidInputError before any event
      return new Run(deps, ticker, options);
    },
    checkTicker: (rawTicker) => checkTicker(deps.gateway, rawTicker),
    knownTickers: () => knownTickers(deps.gateway),
  };
}

/** See {@link ResearchService.knownTickers}: the directory of our data server, which answers every plan's calls. */
async function knownTickers(gateway: ToolGateway): Promise<ReadonlySet<string> | undefined> {
  return gateway.knownTickers?.(TICKERDESK_SERVER).catch(() => undefined);
}

/** See {@link ResearchService.checkTicker}. */
async function checkTicker(gateway: ToolGateway, rawTicker: string): Promise<TickerdeskError | undefined> {
  let ticker: string;
  try {
    ticker = normalizeTicker(rawTicker);
  } catch (err) {
    return asTickerdeskError(err);
  }
  const profile = planRequests(ticker).find((p) => p.part === 'profile');
  if (!profile || !gateway.knownTickers) return undefined;
  const known = await gateway.knownTickers(profile.request.server).catch(() => undefined);
  if (!known || known.has(ticker)) return undefined;
  try {
    await gateway.call(profile.request);
    return undefined; // the directory was stale: the ticker is known after all
  } catch (err) {
    return err instanceof UnknownTickerError ? err : undefined;
  }
}

class Run implements RunHandle {
  readonly runId: string;
  readonly ticker: string;
  readonly result: Promise<RunResult>;
  readonly #emitter: RunEmitter;
  readonly #controller = new AbortController();

  constructor(deps: ResearchServiceDeps, ticker: string, options: StartOptions) {
    const now = deps.now ?? Date.now;
    const startMs = now();
    this.runId = newRunId(startMs);
    this.ticker = ticker;
    const log = (deps.logger ?? rootLogger).child({ runId: this.runId, ticker });
    this.#emitter = new RunEmitter(log);
    this.result = execute({
      deps,
      now,
      startMs,
      runId: this.runId,
      ticker,
      options,
      log,
      emitter: this.#emitter,
      controller: this.#controller,
    });
    // The failure is reported through `runFailed` and to whoever awaits `result`; never as an unhandled rejection.
    this.result.catch(() => {});
  }

  on<K extends keyof RunEvents>(event: K, listener: RunListener<K>): this {
    this.#emitter.on(event, listener);
    return this;
  }

  off<K extends keyof RunEvents>(event: K, listener: RunListener<K>): this {
    this.#emitter.off(event, listener);
    return this;
  }

  cancel(reason?: string): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(new RunCancelledError(reason));
  }
}

interface RunContext {
  deps: ResearchServiceDeps;
  now: () => number;
  startMs: number;
  runId: string;
  ticker: string;
  options: StartOptions;
  log: Logger;
  emitter: RunEmitter;
  controller: AbortController;
}

function estimate(ctx: RunContext): Eta | null {
  try {
    return ctx.deps.eta?.estimate(ctx.ticker, { fresh: ctx.options.fresh === true }) ?? null;
  } catch (err) {
    ctx.log.warn({ err }, 'the ETA source failed; going on without an ETA');
    return null;
  }
}

async function execute(ctx: RunContext): Promise<RunResult> {
  // Let the caller subscribe before the first event.
  await Promise.resolve();
  const { now, startMs, runId, ticker, options, log, emitter, controller } = ctx;
  const { signal } = controller;
  const startedAt = new Date(startMs).toISOString();
  const iso = (ms: number) => new Date(ms).toISOString();
  const plan = planRequests(ticker);
  const stageMs: Record<Stage, number> = { prefetch: 0, analysts: 0, sections: 0 };

  const requester = options.requester ? { requester: options.requester } : {};
  emitter.emit('runStarted', { runId, ticker, startedAt, toolsTotal: plan.length, eta: estimate(ctx), ...requester });
  const firstOutputMs = now() - startMs;
  log.info({ fresh: options.fresh ?? false, requester: options.requester }, 'run started');

  const stage = async <T>(name: Stage, work: () => Promise<T>): Promise<T> => {
    signal.throwIfAborted();
    const begin = now();
    emitter.emit('stageStarted', { stage: name, at: iso(begin) });
    const value = await work();
    stageMs[name] = now() - begin;
    emitter.emit('stageFinished', { stage: name, ms: stageMs[name] });
    log.debug({ stage: name, ms: stageMs[name] }, 'stage finished');
    return value;
  };

  try {
    signal.throwIfAborted();
    const writer = ctx.deps.createWriter();

    const fetched = await stage('prefetch', () =>
      prefetch(ctx.deps.gateway, ticker, plan, {
        signal,
        now,
        ...(options.fresh ? { fresh: true } : {}),
        onToolCallFinished: (event) => emitter.emit('toolCallFinished', event),
        onCompanyIdentified: (event) => emitter.emit('companyIdentified', event),
      }),
    );
    const { bundle } = fetched;
    const companyName = bundle.profile.status === 'ok' ? bundle.profile.data.name : undefined;
    emitter.emit('bundleReady', { bundle });

    const analysed = await stage('analysts', () =>
      runAnalysts(writer, bundle, {
        signal,
        now,
        onAnalystFinished: (event) => emitter.emit('analystFinished', event),
      }),
    );
    const verdict = decideVerdict(analysed.findings);

    let firstSectionAt: number | undefined;
    const context: SectionContext = {
      ticker,
      ...(companyName ? { companyName } : {}),
      findings: analysed.byAnalyst,
      bundle,
    };
    const written = await stage('sections', () =>
      writeSections(writer, context, {
        signal,
        sink: {
          started: (event) => emitter.emit('sectionStarted', event),
          delta: (event) => emitter.emit('sectionDelta', event),
          ready: (event) => {
            firstSectionAt ??= now();
            emitter.emit('sectionReady', event);
          },
        },
      }),
    );
    signal.throwIfAborted();

    const finishedAt = now();
    const problems = mergeProblems([...fetched.problems, ...analysed.problems, ...written.problems]);
    const result: RunResult = {
      runId,
      ticker,
      ...(companyName ? { companyName } : {}),
      outcome: problems.length > 0 ? 'degraded' : 'ok',
      sections: written.sections,
      findings: analysed.findings,
      verdict,
      startedAt,
      durationMs: finishedAt - startMs,
      firstOutputMs,
      firstSectionMs: (firstSectionAt ?? finishedAt) - startMs,
      stageMs,
      tools: fetched.tools,
      ...requester,
      usage: writer.usage(),
      ...(writer.cacheStats ? { writerCache: writer.cacheStats() } : {}),
      upstream: upstreamOf(bundle),
      problems,
      bundle,
    };
    emitter.emit('runFinished', { result });
    log.info(
      { outcome: result.outcome, durationMs: result.durationMs, tools: result.tools, problems: problems.length },
      'run finished',
    );
    return result;
  } catch (err) {
    const error: TickerdeskError = signal.aborted ? abortReason(signal) : asTickerdeskError(err);
    // Abandon whatever is still pending (other tool calls, writers) so nothing keeps working for a failed run.
    if (!signal.aborted) controller.abort(error);
    const durationMs = now() - startMs;
    // The upstream requests made before the failure (an unknown ticker asked of SEC, a ticker no source has).
    const upstream = usageOf(err);
    emitter.emit('runFailed', { runId, ticker, error, durationMs, ...(upstream ? { upstream } : {}) });
    log.info({ code: error.code, err: error, durationMs }, 'run failed');
    throw error;
  }
}
