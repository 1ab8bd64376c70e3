/**
 * Types of a research run: the data bundle that prefetch builds, the analysts' findings, the report sections,
 * and the typed events a run emits. The pipeline emits; the Slack thread writer, the CLI printer and the metrics
 * recorder listen. The pipeline never knows who listens.
 */
import type { TickerdeskError } from '../errors.js';
import type {
  AnalystRatings,
  CompanyFinancials,
  CompanyNews,
  CompanyProfile,
  InsiderTransactions,
  PriceHistory,
  Source,
  TechnicalAnalysis,
} from '../mcp-server/shapes.js';
import type { UpstreamUsage } from '../mcp-server/upstream/usage.js';
import type { CacheStatus, ToolRequest, ToolResult } from '../tools/types.js';

/** One part of the bundle: data with where it came from, or why it is missing. */
export type BundlePart<T> =
  /** The tool's result as the gateway gave it (`stale` when served past its validity while being refreshed). */
  | ({ status: 'ok' } & ToolResult<T>)
  | { status: 'unavailable'; reason: string; source: string; upstream?: UpstreamUsage }
  | { status: 'failed'; reason: string; source: string; upstream?: UpstreamUsage };

/** Everything prefetch returned for one ticker. Analysts and writers read it; nobody below calls tools for it. */
export interface DataBundle {
  ticker: string;
  profile: BundlePart<CompanyProfile>;
  financialsAnnual: BundlePart<CompanyFinancials>;
  financialsQuarterly: BundlePart<CompanyFinancials>;
  prices: BundlePart<PriceHistory>;
  technicals: BundlePart<TechnicalAnalysis>;
  analyst: BundlePart<AnalystRatings>;
  news: BundlePart<CompanyNews>;
  insider: BundlePart<InsiderTransactions>;
}

/** Keys of the bundle's parts. */
export type BundleKey = Exclude<keyof DataBundle, 'ticker'>;

/** The analysts, run side by side on the bundle. */
export type AnalystName = 'fundamentals' | 'technicals' | 'news' | 'risk';

/** Analyst names in a stable order. */
export const ANALYSTS: readonly AnalystName[] = ['fundamentals', 'technicals', 'news', 'risk'];

/** Direction of an analyst's view. */
export type Signal = 'bullish' | 'neutral' | 'bearish';

/** Units a figure may carry. `USD` amounts are whole dollars; `%` is percent; `x` a multiple. */
export type FigureUnit = 'USD' | 'USD/share' | '%' | 'x' | 'count' | 'shares' | 'days' | 'index' | 'date';

/**
 * A number an analyst found, the only kind of number a writer may state.
 * `derived` figures (growth, margins, ratios) name their inputs in `source.ref`.
 */
export interface Figure {
  /** Stable machine name, e.g. `revenue`, `revenue_growth_yoy`, `rsi14`, `target_mean`. */
  name: string;
  /** Human label, e.g. `Revenue`, `Revenue growth (YoY)`. */
  label: string;
  value: number;
  unit: FigureUnit;
  /** Fiscal period or date, e.g. `FY2024`, `Q1 FY2026`, `2026-08-21`. */
  period?: string;
  source: Source;
  /** True when computed by the pipeline from other figures. */
  derived?: boolean;
}

/** One analyst's structured view. */
export interface Findings {
  analyst: AnalystName;
  signal: Signal;
  /** 0–1. */
  confidence: number;
  /** Short statements in plain words; numbers in them must also appear in `figures`. */
  points: string[];
  figures: Figure[];
  /** Set when the analyst's data was missing or it failed: the plain reason. */
  degraded?: string;
  /**
   * Set, to the same text as `degraded`, when the findings are degraded only by data the data set lacks (no part
   * failed, nothing went wrong): the section still says so, but a data gap is no run problem and no recorded error.
   * A writer that appends its own note to `degraded` (a fallback) leaves the two unequal, so the note still counts.
   */
  dataGap?: string;
}

/** Report sections, in report order. */
export type SectionId = 'summary' | 'fundamentals' | 'technicals' | 'news' | 'risks' | 'verdict';

/** Report order and titles. */
export const SECTIONS: readonly { id: SectionId; title: string }[] = [
  { id: 'summary', title: 'Executive summary' },
  { id: 'fundamentals', title: 'Fundamentals' },
  { id: 'technicals', title: 'Technicals' },
  { id: 'news', title: 'News & events' },
  { id: 'risks', title: 'Risks' },
  { id: 'verdict', title: 'Verdict' },
];

/** A finished report section (Markdown). */
export interface Section {
  id: SectionId;
  title: string;
  /** 0-based position in report order. */
  index: number;
  markdown: string;
  /** Set when the section was written with missing data or by a fallback writer. */
  degraded?: string;
}

/** Overall verdict. */
export interface Verdict {
  /** `Buy`, `Hold` or `Sell` style call derived from the analysts' signals. */
  rating: 'buy' | 'hold' | 'sell';
  signal: Signal;
  confidence: number;
  /** One line, e.g. "Hold — strong growth, stretched valuation (confidence 0.62)". */
  line: string;
}

/** Pipeline stages. */
export type Stage = 'prefetch' | 'analysts' | 'sections';

/** Stages in order. */
export const STAGES: readonly Stage[] = ['prefetch', 'analysts', 'sections'];

/** Estimated time of arrival, from recorded durations of past runs (median per stage, cold and warm apart). */
export interface Eta {
  /** Expected total run duration, ms. */
  totalMs: number;
  perStageMs: Record<Stage, number>;
  /** How many past runs the estimate uses. */
  basedOn: number;
  kind: 'cold' | 'warm';
}

/** Token use and cost of an LLM writer, per run. Zero for the template writer. */
export interface Usage {
  inputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
  /** USD. */
  costUsd: number;
  /** Numbers an LLM writer left marked unverified after the number check (absent or 0 when all were true). */
  unverifiedFigures?: number;
  /** Sections an LLM writer had rewritten because a number or the verdict was not backed as stated (absent or 0). */
  rewrites?: number;
}

/** Zero token use and cost: the template writer's usage, and a run's before its writer reports. */
export function emptyUsage(): Usage {
  return { inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, costUsd: 0 };
}

/** Who asked for a run. */
export interface Requester {
  /** `cli`, or the Slack user id. */
  user?: string;
  /** Slack channel id, when asked from Slack. */
  channel?: string;
  /** `ts` of the report's parent message in Slack (its thread), when asked from Slack. */
  thread?: string;
  /** Slack workspace (team) id the request came from, when Slack said (links to the thread are that workspace's). */
  team?: string;
  via: 'cli' | 'slack' | 'bench' | 'test';
}

/** What a finished run returns. */
export interface RunResult {
  runId: string;
  ticker: string;
  companyName?: string;
  outcome: 'ok' | 'degraded';
  sections: Section[];
  findings: Findings[];
  verdict: Verdict;
  startedAt: string;
  /** Total duration, ms. */
  durationMs: number;
  /** From start to the first visible output (the runStarted event), ms. */
  firstOutputMs: number;
  /** From start to the first section emitted, ms. */
  firstSectionMs: number;
  stageMs: Record<Stage, number>;
  /**
   * Tool calls of the run: `total` planned; `hits`/`misses`/`coalesced` succeeded (from `ToolResult.cache`);
   * `errors` failed; `unavailable` were sent to a server that answered that the data set lacks that data (not a
   * fault, not in `errors`). A "no data" answer served from the cache counts in `hits` (in `coalesced` when shared
   * with a call in flight): no call was made for it.
   */
  tools: { total: number; hits: number; misses: number; coalesced: number; errors: number; unavailable?: number };
  /** Who asked, as given in `StartOptions.requester`. */
  requester?: Requester;
  usage: Usage;
  /**
   * Set when the writer keeps a cache (the runtime's cached writer): analyses and sections served from it (`hits`,
   * no writer work, no tokens) and written by the writer (`misses`). With `misses: 0` every section came from cache.
   */
  writerCache?: { hits: number; misses: number };
  /**
   * HTTP requests live data providers made for this run's data (requests, bytes, 429s, per host); zero when every
   * part came from the cache or the bundled data set.
   */
  upstream?: UpstreamUsage;
  /**
   * Plain-words problems that degraded the run (a tool call failed, an analyst or a section could not be written).
   * Data the data set lacks is no problem: it is said in the sections (see `Findings.dataGap`).
   */
  problems: string[];
  bundle: DataBundle;
}

/** The typed event map of a run. */
export interface RunEvents {
  runStarted: {
    runId: string;
    ticker: string;
    startedAt: string;
    toolsTotal: number;
    eta: Eta | null;
    /** Who asked, as given in `StartOptions.requester`. */
    requester?: Requester;
  };
  stageStarted: { stage: Stage; at: string };
  stageFinished: { stage: Stage; ms: number };
  toolCallFinished: {
    request: ToolRequest;
    part: BundleKey;
    done: number;
    total: number;
    cache: CacheStatus | 'error';
    ms: number;
    error?: string;
    /**
     * Set (with `cache: 'error'`) when the tool answered that the data set lacks this data: where that answer came
     * from (`hit`: the cache, `coalesced`: another call in flight, `miss`: the server).
     */
    unavailable?: CacheStatus;
  };
  /** Set once the profile is known, so front ends can show the company name. */
  companyIdentified: { ticker: string; name: string };
  /**
   * The data bundle, once prefetch is done and before the analysts start: for front ends that draw from the data
   * itself (the price chart is rendered from it while the report is still being written).
   */
  bundleReady: { bundle: DataBundle };
  analystFinished: { analyst: AnalystName; findings: Findings; ms: number };
  sectionStarted: { section: SectionId; index: number; title: string };
  /** Streamed text of a section while it is written (LLM writers); the template writer emits one delta. */
  sectionDelta: { section: SectionId; index: number; text: string };
  sectionReady: { section: Section };
  runFinished: { result: RunResult };
  /** `upstream`: the HTTP requests live providers made for the run before it failed (absent when none). */
  runFailed: { runId: string; ticker: string; error: TickerdeskError; durationMs: number; upstream?: UpstreamUsage };
}

/** Every run event, `true` each: a `Record` over the event map, so an event added but not listed fails to compile. */
const EVENT_KEYS: Record<keyof RunEvents, true> = {
  runStarted: true,
  stageStarted: true,
  stageFinished: true,
  toolCallFinished: true,
  companyIdentified: true,
  bundleReady: true,
  analystFinished: true,
  sectionStarted: true,
  sectionDelta: true,
  sectionReady: true,
  runFinished: true,
  runFailed: true,
};

/** Every run event name, for listeners that subscribe to all of them (recorders, loggers, tests). */
export const RUN_EVENTS = Object.keys(EVENT_KEYS) as readonly (keyof RunEvents)[];

/** Listener type for event `K`. */
export type RunListener<K extends keyof RunEvents> = (payload: RunEvents[K]) => void;

/** A started run: subscribe to events, await the result. `result` rejects with a TickerdeskError on failure. */
export interface RunHandle {
  readonly runId: string;
  readonly ticker: string;
  on<K extends keyof RunEvents>(event: K, listener: RunListener<K>): this;
  off<K extends keyof RunEvents>(event: K, listener: RunListener<K>): this;
  readonly result: Promise<RunResult>;
  /** Ask the run to stop; pending work is abandoned and the run fails with a plain message. */
  cancel(reason?: string): void;
}

/** Options for starting a run. */
export interface StartOptions {
  requester?: Requester;
  /** Skip cache reads (`--fresh`). */
  fresh?: boolean;
}

/** What front ends (CLI, Slack) call. */
export interface ResearchService {
  /**
   * Start researching `ticker` (raw user input; normalised here).
   * @throws InvalidInputError synchronously-rejected input is thrown before any event or record.
   */
  start(ticker: string, options?: StartOptions): RunHandle;
  /**
   * Ask, before starting a run, whether the data sources know `ticker` (raw input; normalised here), so a front end
   * can refuse an unknown ticker privately instead of opening a run in public. Cheap when warm: the data server's
   * ticker directory is cached; only an unlisted ticker costs one `get_company_profile` call, whose answer carries
   * the close matches. `requester` is who asked (a refusal is recorded like any rejected input).
   * @returns `UnknownTickerError` (with suggestions) or `InvalidInputError` when the ticker would be refused;
   *   `undefined` when it is known or when it cannot tell (the run then decides). Never rejects.
   */
  checkTicker?(ticker: string, requester?: Requester): Promise<TickerdeskError | undefined>;
  /**
   * The tickers the data sources cover (the data server's ticker directory, read once and cached), so a front end
   * can find a ticker named in a sentence. `undefined` when there is no directory. Never rejects.
   */
  knownTickers?(): Promise<ReadonlySet<string> | undefined>;
}
