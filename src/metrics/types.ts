/**
 * Run records and the /perf report's shape. Records are stored in the run log (SQLite, or Redis with `CACHE_URL`) by
 * the metrics recorder.
 */
import type { UpstreamUsage } from '../mcp-server/upstream/usage.js';
import type { Stage, Usage } from '../research/types.js';
import type { CacheFootprint } from '../tools/cache-footprint.js';
import type { PerfReset, RefusalCounts } from './marks.js';
import type { PrewarmUsage } from './prewarm-log.js';

/** One run, as recorded. Times in ms; timestamps ISO. */
export interface RunRecord {
  id: string;
  ticker: string;
  /** Slack user id or `cli`. */
  requester?: string;
  channel?: string;
  /** `ts` of the report's parent message in Slack (with `channel`, its permalink). */
  thread?: string;
  /** Slack workspace (team) id of `channel`, when asked from Slack (absent in records from before it was kept). */
  team?: string;
  via: string;
  startedAt: string;
  finishedAt?: string;
  /** ms from start to the first visible output. */
  firstOutputMs?: number;
  /** ms from start to the first section. */
  firstSectionMs?: number;
  durationMs?: number;
  stageMs: Partial<Record<Stage, number>>;
  /** Tool calls: made (sent to a server), served from cache, coalesced with an in-flight twin, failed. */
  tools: { total: number; made: number; hits: number; coalesced: number; errors: number };
  /** Per-call latencies (tool name → ms list) for the per-tool table. */
  toolMs: Record<string, number[]>;
  /** `cold` when any tool call missed the cache, else `warm`. */
  cacheKind?: 'cold' | 'warm';
  usage: Usage;
  /** HTTP requests live data providers made for this run (absent in records from before live data). */
  upstream?: UpstreamUsage;
  errors: string[];
  /**
   * `cancelled`: stopped by the person who asked (Ctrl-C, SIGTERM, SIGHUP) or by a shutdown; not a failure.
   * `abandoned`: still `running` long after the longest a run may take (its process was killed, e.g. kill -9); set
   * when a run log is opened for research.
   */
  outcome: 'running' | 'ok' | 'degraded' | 'failed' | 'rejected' | 'cancelled' | 'abandoned';
  writer?: string;
  /**
   * What the process ran without while this run went, by `"<part> <cause>"` (`tool cache is unreachable`,
   * `run log is full`): occurrences counted from the run's start (the CLI's first run: from start-up) to its end.
   * In a process running several runs at once, each of them counts the occurrences of that time.
   */
  degradations?: Record<string, number>;
  /** What readers said of the report and its answers (Slack's feedback buttons), oldest first. */
  feedback?: FeedbackEntry[];
  /**
   * Smart prefetch after this run (background work, apart from `tools`): the peers chosen, background calls asked
   * (`calls`), those sent to a server (`made`: what was prefetched), those that failed or had no data (`errors`), and
   * of the `made` ones, those a user's call later read from the cache or joined in flight (`used`).
   */
  prefetch?: PrefetchCounts;
}

/** One reader's feedback on LLM-written text of a run (a thumbs up or down, with what was wrong). */
export interface FeedbackEntry {
  vote: 'up' | 'down';
  /** Slack user id. */
  user: string;
  /** What it is about: `section:<id>` (a report section) or `answer:<ts>` (a follow-up answer). */
  target: string;
  /** ISO timestamp. */
  at: string;
  /** With a thumbs-down: the reasons ticked in the form (`wrong-figure`, `out-of-date`, …). */
  reasons?: string[];
  /** With a thumbs-down: what the reader wrote, at most 1,000 characters. */
  comment?: string;
}

/** Counts of one run's smart prefetch (see {@link RunRecord.prefetch}). */
export interface PrefetchCounts {
  peers: string[];
  calls: number;
  made: number;
  errors: number;
  used: number;
}

/** The figures `npm run perf` and `/perf` show. */
export interface PerfReport {
  runs: number;
  byOutcome: Record<string, number>;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  p50FirstOutputMs: number | null;
  p95FirstOutputMs: number | null;
  p50FirstSectionMs: number | null;
  toolCalls: { total: number; made: number; hits: number; coalesced: number; errors: number };
  /** hits / total, 0–1. */
  cacheHitRate: number | null;
  /** Calls not sent to a server thanks to the cache and single-flight. */
  callsSaved: number;
  perTool: { tool: string; calls: number; p50Ms: number; p95Ms: number }[];
  usage: Usage;
  /**
   * Upstream HTTP requests of live data providers over the runs considered: totals, per run (mean over the runs
   * that recorded it), 429s, and per host (requests, bytes, mean latency in ms), busiest host first.
   */
  upstream?: {
    runs: number;
    requests: number;
    bytes: number;
    throttled: number;
    requestsPerRun: number | null;
    hosts: { host: string; requests: number; bytes: number; throttled: number; meanMs: number }[];
  };
  recentErrors: { runId: string; ticker: string; at: string; error: string }[];
  /** Degradations of the runs considered, most frequent first: occurrences, and runs that saw them. */
  degradations?: { what: string; count: number; runs: number }[];
  /**
   * Readers' feedback on the runs considered: thumbs up and down, runs that got any, the reasons given with a
   * thumbs-down (most frequent first) and the latest comments (newest first, at most 5).
   */
  feedback?: {
    up: number;
    down: number;
    runs: number;
    reasons: { reason: string; count: number }[];
    comments: { runId: string; ticker: string; target: string; at: string; comment: string }[];
  };
  alerts: { id: string; message: string }[];
  /**
   * Alerts raised after runs in this process (`src/ops/alerts.ts`), by kind: how many, the latest message and its ISO
   * time; added by the Slack app's `/perf`, absent elsewhere or when none was raised.
   */
  raised?: { kind: string; count: number; lastMessage: string; lastAt: string }[];
  /**
   * What the tool cache holds (entries, bytes stored and as JSON, compression ratio, file size), added by the front
   * end (`perf`, `/perf`) from the cache itself; absent when it could not be read.
   */
  cache?: CacheFootprint;
  /** Smart prefetch over the runs considered: runs it followed, calls sent (prefetched) and later used by a user. */
  prefetch?: { runs: number; made: number; used: number };
  /** Prewarm fetches of the last 30 days and how many a later run used, added by the front end; absent without. */
  prewarm?: PrewarmUsage;
  /** The latest `/perf reset`: the figures above count runs started from then. Absent when never reset. */
  reset?: PerfReset;
  /**
   * Permission refusals stored in the run log since the reset (all, when never reset): count, by reason, the latest
   * (time, user, channel, what). Absent when the run log keeps none (an older file read read-only).
   */
  refusals?: RefusalCounts;
}
