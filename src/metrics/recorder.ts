/**
 * The metrics recorder: listens to one run's events and keeps its {@link RunRecord} up to date in the store.
 * It never fails or slows a run: the record lives in memory, writes go out in the background (in order), and
 * every store error is caught, counted and warned once per cause. After a failed write the record is kept in memory
 * and written whole at the end of the run (lost only if that fails too).
 */
import {
  type DegradationCounts,
  type Degradations,
  processDegradations,
  storageCause,
  storageHint,
} from '../degradations.js';
import { ErrorCode, TickerdeskError } from '../errors.js';
import { type Logger, logger as rootLogger } from '../log.js';
import { emptyUsage, type RunEvents, type RunHandle } from '../research/types.js';
import type { FinalOutcome, MetricsStore, RunPatch } from './store.js';
import type { RunRecord } from './types.js';

/** Who asked, as recorded. */
export interface RecordMeta {
  /** Slack user id or `cli`. */
  requester?: string;
  via: string;
  channel?: string;
  /** `ts` of the report's parent message in Slack. */
  thread?: string;
  /** Slack workspace (team) id of the channel. */
  team?: string;
}

/** Options of {@link recordRun}. */
export interface RecordOptions {
  logger?: Logger;
  /** Writer name to record when the run does not say (e.g. `template`). */
  writer?: string;
  /** Where store failures are counted and warned once, and what the record's `degradations` are read from. */
  degradations?: Degradations;
  /** Degradations counted before this snapshot are not the run's. @default the counts when `recordRun` is called */
  degradationsSince?: DegradationCounts;
}

/**
 * Record `handle` in `store`: insert at `runStarted`, then stage durations, first section, and on finish/fail the
 * final durations, tool counts and latencies, usage, errors and outcome (`rejected` for an unknown ticker).
 * Subscribe before the run emits its first event.
 * @returns a promise settled once the final write is done (or failed and was logged); it never rejects.
 */
export function recordRun(
  handle: RunHandle,
  store: MetricsStore,
  meta: RecordMeta,
  options: RecordOptions = {},
): Promise<void> {
  const log = (options.logger ?? rootLogger).child({ runId: handle.runId, ticker: handle.ticker, part: 'metrics' });
  const t0 = Date.now();
  const record: RunRecord = {
    id: handle.runId,
    ticker: handle.ticker,
    via: meta.via,
    startedAt: new Date(t0).toISOString(),
    stageMs: {},
    tools: { total: 0, made: 0, hits: 0, coalesced: 0, errors: 0 },
    toolMs: {},
    usage: emptyUsage(),
    errors: [],
    outcome: 'running',
    ...(meta.requester === undefined ? {} : { requester: meta.requester }),
    ...(meta.channel === undefined ? {} : { channel: meta.channel }),
    ...(meta.thread === undefined ? {} : { thread: meta.thread }),
    ...(meta.team === undefined ? {} : { team: meta.team }),
    ...(options.writer === undefined ? {} : { writer: options.writer }),
  };
  const degradations = options.degradations ?? processDegradations;
  const since = options.degradationsSince ?? degradations.counts();
  let inserted = false;
  /** A write failed: later patches are skipped and the final write is the whole record. */
  let failed = false;
  let chain: Promise<void> = Promise.resolve();
  const write = (what: string, op: () => Promise<void>): void => {
    chain = chain.then(op).catch((err: unknown) => {
      failed = true;
      const cause = storageCause(err);
      const reason = err instanceof Error ? err.message : String(err);
      degradations.note(log, {
        part: 'run log',
        cause,
        message: `The run log ${store.path} ${cause} (${reason}); runs go on, and a record that cannot be written is lost: ${storageHint(cause, store.path)}.`,
        fields: { runLog: store.path, what, err: reason },
      });
    });
  };
  const ensureInserted = (): void => {
    if (inserted) return;
    inserted = true;
    const snapshot = structuredClone(record);
    write('insert', () => store.insert(snapshot));
  };
  const patch = (what: string, fields: RunPatch): void => {
    ensureInserted();
    const copy = structuredClone(fields);
    write(what, () => (failed ? Promise.resolve() : store.update(record.id, copy)));
  };
  const sinceStart = () => Date.now() - Date.parse(record.startedAt);

  let settle!: () => void;
  const done = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const listeners: { [K in keyof RunEvents]?: (p: RunEvents[K]) => void } = {
    runStarted: (p) => {
      record.startedAt = p.startedAt;
      record.ticker = p.ticker;
      record.firstOutputMs = Math.max(0, sinceStart());
      ensureInserted();
    },
    stageFinished: (p) => {
      record.stageMs[p.stage] = p.ms;
      patch('stage', { stageMs: { [p.stage]: p.ms }, tools: record.tools, toolMs: record.toolMs });
    },
    toolCallFinished: (p) => {
      ensureInserted();
      // Until the run finishes, `total` counts the calls that finished (a failed run made only some).
      const t = record.tools;
      t.total++;
      const from = p.unavailable ?? p.cache;
      if (from === 'hit') t.hits++;
      else if (from === 'coalesced') t.coalesced++;
      else if (from === 'miss') t.made++;
      else {
        t.made++;
        t.errors++;
      }
      if (from === 'miss') record.cacheKind = 'cold';
      // Per-tool latency is that of calls sent to a server; cache hits and coalesced calls would hide it.
      if (from === 'hit' || from === 'coalesced') return;
      const list = record.toolMs[p.request.tool] ?? [];
      list.push(p.ms);
      record.toolMs[p.request.tool] = list;
    },
    sectionReady: () => {
      if (record.firstSectionMs !== undefined) return;
      record.firstSectionMs = Math.max(0, sinceStart());
      patch('first section', { firstSectionMs: record.firstSectionMs });
    },
    runFinished: ({ result }) => {
      record.durationMs = result.durationMs;
      record.firstOutputMs = result.firstOutputMs;
      record.firstSectionMs = result.firstSectionMs;
      record.stageMs = { ...result.stageMs };
      record.usage = result.usage;
      if (result.upstream) record.upstream = result.upstream;
      // The result's counts are authoritative: failed calls are `errors`; calls answering that the data set lacks
      // the data (`unavailable`) were sent to a server but are no fault (a cached "no data" answer is a hit). A run
      // is cold when it sent a call that could be cached (a miss, or a "no data" answer); failures never are.
      const r = result.tools;
      record.tools = {
        total: r.total,
        made: r.misses + r.errors + (r.unavailable ?? 0),
        hits: r.hits,
        coalesced: r.coalesced,
        errors: r.errors,
      };
      record.cacheKind = r.misses + (r.unavailable ?? 0) > 0 ? 'cold' : 'warm';
      for (const problem of result.problems) if (!record.errors.includes(problem)) record.errors.push(problem);
      finish(result.outcome);
    },
    runFailed: (p) => {
      if (p.upstream) record.upstream = p.upstream;
      record.durationMs = p.durationMs;
      // A run stopped on purpose (Ctrl-C, shutdown) is no error: recorded as cancelled, kept out of the error list.
      if (p.error.code === ErrorCode.Cancelled) return finish('cancelled');
      record.errors.push(`${p.error.code}: ${p.error.message}`);
      const rejected = p.error.code === ErrorCode.UnknownTicker || p.error.code === ErrorCode.InvalidInput;
      // The calls of a rejected ticker were answered ("unknown ticker"): sent to a server, but no tool failed.
      if (rejected) record.tools.errors = 0;
      finish(rejected ? 'rejected' : 'failed');
    },
  };
  const finish = (outcome: FinalOutcome): void => {
    for (const [event, fn] of Object.entries(listeners)) handle.off(event as keyof RunEvents, fn as never);
    record.outcome = outcome;
    record.cacheKind ??= record.tools.hits + record.tools.coalesced > 0 ? 'warm' : 'cold';
    ensureInserted();
    write('finish', async () => {
      // Read when the earlier writes are done, so that their failures count too.
      const degraded = degradations.since(since);
      if (Object.keys(degraded).length > 0) record.degradations = degraded;
      const whole = structuredClone(record);
      // An earlier write failed (a lock, a full disk): the record may be missing or stale; write it whole.
      if (failed) await store.insert(whole);
      const { id: _id, ...final } = whole;
      await store.finish(record.id, { ...final, outcome });
    });
    chain.then(settle, settle);
  };
  for (const [event, fn] of Object.entries(listeners)) handle.on(event as keyof RunEvents, fn as never);
  // A run that ends without a terminal event (result rejected early) still settles the record.
  handle.result.then(
    () => undefined,
    (err: unknown) => {
      setImmediate(() => {
        if (record.outcome !== 'running') return;
        record.durationMs = sinceStart();
        if (err instanceof TickerdeskError && err.code === ErrorCode.Cancelled) return finish('cancelled');
        record.errors.push(err instanceof Error ? err.message : String(err));
        finish('failed');
      });
    },
  );
  return done;
}
