/**
 * A small, real `ResearchService` for the Slack tests: each run emits the pipeline's event sequence on timers
 * (runStarted, stages, nine toolCallFinished n/m, companyIdentified, four analysts, six sections started / delta /
 * ready, runFinished) with Markdown that has bold text, lists, a table and one section longer than a Slack
 * block. A ticker researched before is served "from cache" (hits), as the real gateway would. It also keeps run
 * records and computes the `/perf` figures from them.
 */
import { EventEmitter } from 'node:events';
import {
  ErrorCode,
  InvalidInputError,
  RunCancelledError,
  TickerdeskError,
  UnknownTickerError,
} from '../../src/errors.js';
import type { PerfReport } from '../../src/metrics/types.js';
import type {
  BundleKey,
  DataBundle,
  ResearchService,
  RunEvents,
  RunHandle,
  RunListener,
  RunResult,
  Section,
  StartOptions,
} from '../../src/research/types.js';
import { SECTIONS } from '../../src/research/types.js';
import { normalizeTicker } from '../../src/tickers.js';

const TOOLS: { tool: string; part: BundleKey }[] = [
  { tool: 'get_company_profile', part: 'profile' },
  { tool: 'get_company_financials', part: 'financialsAnnual' },
  { tool: 'get_company_financials', part: 'financialsQuarterly' },
  { tool: 'get_price_history', part: 'prices' },
  { tool: 'get_technical_analysis', part: 'technicals' },
  { tool: 'get_analyst_ratings', part: 'analyst' },
  { tool: 'get_company_news', part: 'news' },
  { tool: 'get_insider_transactions', part: 'insider' },
  { tool: 'get_sec_filings', part: 'profile' },
];

/** Options of the double. */
export interface DoubleOptions {
  /** Time between events, ms. @default 120 */
  stepMs?: number;
  /** Runs of these tickers fail after this many sections were emitted, e.g. `{ FAIL: 2 }`. */
  failAfterSections?: Record<string, number>;
  /** Pause this long before the first section, ms (to exercise the heartbeat). @default 0 */
  pauseBeforeSectionsMs?: number;
  /**
   * Runs of these tickers find no data in this many of their tool calls (`unavailable`), and their News & events
   * section says it has none, with the same words as its `degraded` note, e.g. `{ CRM: 7 }`.
   */
  emptyTools?: Record<string, number>;
  /** Time to write one section, ms. @default 2 × stepMs */
  sectionMs?: number;
  /** Deltas each section is streamed in (an LLM writer streams many; the template writer one). @default 1 */
  sectionChunks?: number;
  /** Answer `checkTicker` (as the real service does): `NVDQ` is refused before a run. @default false */
  checksTickers?: boolean;
  /** With `checksTickers`, these are refused too (close match NVDA). @default [] */
  unknownTickers?: string[];
  /** What `knownTickers()` answers (the ticker directory); unset → no directory. */
  knownTickers?: string[];
}

/** The Markdown the double writes for `section` of `ticker`. */
export function sectionMarkdown(ticker: string, id: string): string {
  switch (id) {
    case 'summary':
      return `**${ticker}** keeps compounding: revenue rose **114%** to $130.5B in FY2025 while gross margin held near 75%.\n\n- Data-centre demand still exceeds supply\n- Valuation is stretched against peers`;
    case 'fundamentals':
      return `Revenue and margins, from the 10-K filings. Free cash flow covered buy-backs twice over.\n\n| Metric | FY2024 | FY2025 |\n|---|---:|---:|\n| Revenue | $60.9B | $130.5B |\n| Gross margin | 72.7% | 75.0% |\n| **Net income** | $29.8B | $72.9B |`;
    case 'technicals':
      return 'Price sits 12% above its 200-day average; RSI(14) at 61 is firm but not overbought. `MACD` crossed up on 2025-08-21.';
    case 'news': {
      const items = Array.from(
        { length: 40 },
        (_, i) =>
          `${i + 1}. *2025-08-${String((i % 28) + 1).padStart(2, '0')}* — ${ticker} item ${i + 1}: supply agreements, export rules and a new product cycle were reported by [Reuters](https://example.com/${i}); analysts read it as neutral to positive for the next two quarters.`,
      );
      return `Recent headlines, newest first:\n\n${items.join('\n')}\n\nEnd of news.`;
    }
    case 'risks':
      return '- Export controls on advanced chips\n- Customer concentration: top 4 buyers are ~40% of revenue\n- A cyclical downturn in data-centre spending';
    default:
      return `**Hold** — strong growth, stretched valuation (confidence 0.62).`;
  }
}

/** A News & events section without data, in the words the template writer uses. */
function noNews(ticker: string): string {
  return `No company news in the bundled data set for ${ticker}. No recent 8-K filings either.`;
}

class DoubleHandle implements RunHandle {
  readonly emitter = new EventEmitter();
  readonly result: Promise<RunResult>;
  resolve!: (r: RunResult) => void;
  reject!: (e: unknown) => void;
  cancelled = false;
  constructor(
    readonly runId: string,
    readonly ticker: string,
  ) {
    this.result = new Promise<RunResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.result.catch(() => undefined);
  }
  on<K extends keyof RunEvents>(event: K, listener: RunListener<K>): this {
    this.emitter.on(event, listener as (p: unknown) => void);
    return this;
  }
  off<K extends keyof RunEvents>(event: K, listener: RunListener<K>): this {
    this.emitter.off(event, listener as (p: unknown) => void);
    return this;
  }
  emit<K extends keyof RunEvents>(event: K, payload: RunEvents[K]): void {
    this.emitter.emit(event, payload);
  }
  /** Stop the run as the pipeline does: the next step emits `runFailed` with the reason and rejects. */
  cancel(reason?: string): void {
    this.cancelled = true;
    this.cancelReason = reason;
  }
  cancelReason: string | undefined;
}

interface Record_ {
  runId: string;
  ticker: string;
  outcome: 'ok' | 'failed' | 'cancelled';
  durationMs: number;
  firstOutputMs: number;
  firstSectionMs: number | null;
  hits: number;
  misses: number;
  toolMs: { tool: string; ms: number }[];
  error?: string;
  at: string;
}

function emptyRecord(h: DoubleHandle, at: string): Record_ {
  return {
    runId: h.runId,
    ticker: h.ticker,
    outcome: 'ok',
    durationMs: 0,
    firstOutputMs: 0,
    firstSectionMs: null,
    hits: 0,
    misses: 0,
    toolMs: [],
    at,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait `ms`, then stop the run if it was cancelled meanwhile. */
async function pause(h: DoubleHandle, ms: number): Promise<void> {
  await sleep(ms);
  if (h.cancelled) throw new RunCancelledError(h.cancelReason);
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

/** The double. `starts` lists every run started, in order. */
export class SlackResearchDouble implements ResearchService {
  readonly starts: { ticker: string; options: StartOptions | undefined }[] = [];
  readonly records: Record_[] = [];
  private readonly cached = new Set<string>();
  private counter = 0;

  constructor(private readonly options: DoubleOptions = {}) {}

  start(raw: string, options?: StartOptions): RunHandle {
    const ticker = normalizeTicker(raw);
    if (ticker === 'ZZZZ') throw new InvalidInputError('"ZZZZ" is refused before any work.');
    this.starts.push({ ticker, options });
    const handle = new DoubleHandle(`run-${++this.counter}`, ticker);
    this.drive(handle).catch((error: unknown) => {
      const at = new Date().toISOString();
      const message = error instanceof Error ? error.message : String(error);
      this.records.push({ ...emptyRecord(handle, at), outcome: 'cancelled', error: message });
      handle.emit('runFailed', { runId: handle.runId, ticker, error: error as TickerdeskError, durationMs: 0 });
      handle.reject(error);
    });
    return handle;
  }

  /** Tickers asked about through `checkTicker`, in order. */
  readonly checked: string[] = [];

  async checkTicker(raw: string): Promise<TickerdeskError | undefined> {
    if (!this.options.checksTickers) return undefined;
    this.checked.push(raw);
    const ticker = normalizeTicker(raw);
    const unknown = ticker === 'NVDQ' || (this.options.unknownTickers ?? []).includes(ticker);
    return unknown ? new UnknownTickerError(ticker, ['NVDA']) : undefined;
  }

  async knownTickers(): Promise<ReadonlySet<string> | undefined> {
    return this.options.knownTickers ? new Set(this.options.knownTickers) : undefined;
  }

  /** The /perf figures from the runs so far. */
  perfReport(): PerfReport {
    const done = this.records;
    const durations = done.map((r) => r.durationMs);
    const hits = done.reduce((n, r) => n + r.hits, 0);
    const misses = done.reduce((n, r) => n + r.misses, 0);
    const byTool = new Map<string, number[]>();
    for (const r of done) for (const t of r.toolMs) byTool.set(t.tool, [...(byTool.get(t.tool) ?? []), t.ms]);
    const byOutcome: Record<string, number> = {};
    for (const r of done) byOutcome[r.outcome] = (byOutcome[r.outcome] ?? 0) + 1;
    const firstSections = done.map((r) => r.firstSectionMs).filter((v): v is number => v !== null);
    return {
      runs: done.length,
      byOutcome,
      p50DurationMs: percentile(durations, 50),
      p95DurationMs: percentile(durations, 95),
      p50FirstOutputMs: percentile(
        done.map((r) => r.firstOutputMs),
        50,
      ),
      p95FirstOutputMs: percentile(
        done.map((r) => r.firstOutputMs),
        95,
      ),
      p50FirstSectionMs: percentile(firstSections, 50),
      toolCalls: { total: hits + misses, made: misses, hits, coalesced: 0, errors: 0 },
      cacheHitRate: hits + misses === 0 ? null : hits / (hits + misses),
      callsSaved: hits,
      perTool: [...byTool].map(([tool, ms]) => ({
        tool,
        calls: ms.length,
        p50Ms: percentile(ms, 50) ?? 0,
        p95Ms: percentile(ms, 95) ?? 0,
      })),
      usage: { inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, costUsd: 0 },
      recentErrors: done
        .filter((r) => r.error)
        .map((r) => ({ runId: r.runId, ticker: r.ticker, at: r.at, error: r.error ?? '' })),
      alerts: [],
    };
  }

  private async drive(h: DoubleHandle): Promise<void> {
    const step = this.options.stepMs ?? 120;
    const t0 = Date.now();
    const startedAt = new Date(t0).toISOString();
    const warm = this.cached.has(h.ticker);
    const toolMs: { tool: string; ms: number }[] = [];
    let firstSectionMs: number | null = null;
    const stageMs = { prefetch: 0, analysts: 0, sections: 0 };
    await pause(h, 5);
    h.emit('runStarted', { runId: h.runId, ticker: h.ticker, startedAt, toolsTotal: TOOLS.length, eta: null });
    const firstOutputMs = Date.now() - t0;
    if (h.ticker === 'NVDQ') {
      await pause(h, step);
      const error = new UnknownTickerError('NVDQ', ['NVDA']);
      h.emit('runFailed', { runId: h.runId, ticker: h.ticker, error, durationMs: Date.now() - t0 });
      h.reject(error);
      return;
    }
    let s = Date.now();
    h.emit('stageStarted', { stage: 'prefetch', at: new Date().toISOString() });
    for (const [i, t] of TOOLS.entries()) {
      await pause(h, warm ? step / 4 : step);
      const ms = warm ? 2 : step;
      toolMs.push({ tool: t.tool, ms });
      const request = { server: 'tickerdesk', tool: t.tool, args: { ticker: h.ticker } };
      h.emit('toolCallFinished', {
        request,
        part: t.part,
        done: i + 1,
        total: TOOLS.length,
        cache: warm ? 'hit' : 'miss',
        ms,
      });
      if (i === 0) h.emit('companyIdentified', { ticker: h.ticker, name: `${h.ticker} Corporation` });
    }
    stageMs.prefetch = Date.now() - s;
    h.emit('stageFinished', { stage: 'prefetch', ms: stageMs.prefetch });
    this.cached.add(h.ticker);
    s = Date.now();
    h.emit('stageStarted', { stage: 'analysts', at: new Date().toISOString() });
    for (const analyst of ['fundamentals', 'technicals', 'news', 'risk'] as const) {
      await pause(h, step);
      const findings = { analyst, signal: 'neutral' as const, confidence: 0.6, points: ['steady'], figures: [] };
      h.emit('analystFinished', { analyst, findings, ms: step });
    }
    stageMs.analysts = Date.now() - s;
    h.emit('stageFinished', { stage: 'analysts', ms: stageMs.analysts });
    s = Date.now();
    h.emit('stageStarted', { stage: 'sections', at: new Date().toISOString() });
    if (this.options.pauseBeforeSectionsMs) await pause(h, this.options.pauseBeforeSectionsMs);
    const sections: Section[] = [];
    for (const [index, meta] of SECTIONS.entries()) {
      const failAt = this.options.failAfterSections?.[h.ticker];
      if (failAt !== undefined && index >= failAt) {
        const error = new TickerdeskError(
          ErrorCode.WriterFailed,
          'The writer could not finish the Technicals section: the model timed out.',
        );
        const durationMs = Date.now() - t0;
        this.records.push({
          runId: h.runId,
          ticker: h.ticker,
          outcome: 'failed',
          durationMs,
          firstOutputMs,
          firstSectionMs,
          hits: 0,
          misses: 0,
          toolMs,
          error: error.message,
          at: startedAt,
        });
        h.emit('runFailed', { runId: h.runId, ticker: h.ticker, error, durationMs });
        h.reject(error);
        return;
      }
      h.emit('sectionStarted', { section: meta.id, index, title: meta.title });
      const empty = this.options.emptyTools?.[h.ticker] !== undefined && meta.id === 'news';
      const markdown = empty ? noNews(h.ticker) : sectionMarkdown(h.ticker, meta.id);
      const chunks = this.options.sectionChunks ?? 1;
      const size = Math.ceil(markdown.length / chunks);
      for (let c = 0; c < chunks; c++) {
        await pause(h, (this.options.sectionMs ?? step * 2) / chunks);
        h.emit('sectionDelta', { section: meta.id, index, text: markdown.slice(c * size, (c + 1) * size) });
      }
      const section: Section = {
        id: meta.id,
        title: meta.title,
        index,
        markdown,
        ...(empty ? { degraded: noNews(h.ticker) } : {}),
      };
      sections.push(section);
      firstSectionMs ??= Date.now() - t0;
      h.emit('sectionReady', { section });
    }
    stageMs.sections = Date.now() - s;
    h.emit('stageFinished', { stage: 'sections', ms: stageMs.sections });
    const durationMs = Date.now() - t0;
    const hits = warm ? TOOLS.length : 0;
    const result: RunResult = {
      runId: h.runId,
      ticker: h.ticker,
      companyName: `${h.ticker} Corporation`,
      outcome: 'ok',
      sections,
      findings: [],
      verdict: {
        rating: 'hold',
        signal: 'neutral',
        confidence: 0.62,
        line: 'Hold — strong growth, stretched valuation (confidence 0.62)',
      },
      startedAt,
      durationMs,
      firstOutputMs,
      firstSectionMs: firstSectionMs ?? durationMs,
      stageMs,
      tools: {
        total: TOOLS.length,
        hits,
        misses: TOOLS.length - hits,
        coalesced: 0,
        errors: 0,
        ...(this.options.emptyTools?.[h.ticker] ? { unavailable: this.options.emptyTools[h.ticker] } : {}),
      },
      usage: { inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, costUsd: 0 },
      problems: [],
      bundle: { ticker: h.ticker } as DataBundle,
    };
    this.records.push({
      runId: h.runId,
      ticker: h.ticker,
      outcome: 'ok',
      durationMs,
      firstOutputMs,
      firstSectionMs,
      hits,
      misses: TOOLS.length - hits,
      toolMs,
      at: startedAt,
    });
    h.emit('runFinished', { result });
    h.resolve(result);
  }
}
