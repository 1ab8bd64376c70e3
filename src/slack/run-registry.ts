/**
 * The runs this instance has shown in Slack, by run id, so that a button on a report (Cancel, Refresh, Report file,
 * Compare with…, feedback) finds its run: the handle while it works (to cancel it), the result once it finished (to
 * upload it or compare with it). Kept in memory for the most recent {@link DEFAULT_KEEP} runs: a button whose run is
 * not here (the app restarted, or another instance showed it) is stale, and the person is told so privately.
 */
import type { RunHandle, RunResult } from '../research/types.js';

/** A run as the Slack buttons see it. */
export interface TrackedRun {
  runId: string;
  /** Normalised ticker. */
  ticker: string;
  /** Channel of the parent message. */
  channel: string;
  /** `ts` of the parent message (the thread). */
  ts: string;
  /** Slack user id of the person who asked. */
  requester: string;
  /** Workspace id, when known (streaming, the requester's later runs). */
  teamId?: string;
  /** `running` until the run ends; then how it ended. */
  status: 'running' | 'finished' | 'failed' | 'cancelled';
  /** Who pressed Cancel (or Stop), once cancelled that way. */
  cancelledBy?: string;
  /** The finished run's result (report, findings, data bundle), for the newest finished runs only. */
  result?: RunResult | undefined;
  handle?: RunHandle | undefined;
}

/** What pressing Cancel did. */
export type CancelOutcome =
  | { kind: 'cancelled'; run: TrackedRun }
  | { kind: 'unknown' }
  | { kind: 'not-allowed'; run: TrackedRun }
  | { kind: 'already-ended'; run: TrackedRun };

/** Why a run cancelled from Slack stopped, as its failed parent says it ("The run was cancelled: …"). */
export const CANCEL_REASON = 'Cancel was pressed in Slack';

/** Runs kept by default. */
export const DEFAULT_KEEP = 500;
/** Finished results kept by default (each holds its run's data bundle, a few hundred KB): the newest ones. */
export const DEFAULT_KEEP_RESULTS = 50;

/** The runs shown by this instance, newest last; the oldest are forgotten past `keep`. */
export class RunRegistry {
  private readonly runs = new Map<string, TrackedRun>();
  /** Run ids with a result, oldest first. */
  private readonly finishedOrder: string[] = [];

  constructor(
    /**
     * Who may cancel anyone's run (`ADMIN_USERS`): Slack user ids, or a test such as `Permissions.isNamedAdmin`
     * (user groups included).
     */
    private readonly admins: readonly string[] | ((user: string) => boolean) = [],
    private readonly keep = DEFAULT_KEEP,
    private readonly keepResults = DEFAULT_KEEP_RESULTS,
  ) {}

  /** Remember a run that just started, with its handle. */
  started(run: Omit<TrackedRun, 'status' | 'handle'>, handle: RunHandle): TrackedRun {
    const tracked: TrackedRun = { ...run, status: 'running', handle };
    this.runs.set(run.runId, tracked);
    for (const id of this.runs.keys()) {
      if (this.runs.size <= this.keep) break;
      this.runs.delete(id);
    }
    return tracked;
  }

  /** The run ended: keep its result (finished) or how it ended; the handle is let go. */
  ended(runId: string, result: RunResult | undefined): void {
    const run = this.runs.get(runId);
    if (run?.status !== 'running') return;
    run.handle = undefined;
    if (result) {
      run.status = 'finished';
      run.result = result;
      this.finishedOrder.push(runId);
      // Only the newest results are kept whole: an older report's buttons find its run, not its data.
      while (this.finishedOrder.length > this.keepResults) {
        const old = this.runs.get(this.finishedOrder.shift() as string);
        if (old) old.result = undefined;
      }
    } else run.status = 'failed';
  }

  get(runId: string): TrackedRun | undefined {
    return this.runs.get(runId);
  }

  /** The run whose parent message is `ts` in `channel` (Slack's Stop names the thread, not the run). */
  byThread(channel: string, ts: string): TrackedRun | undefined {
    for (const run of this.runs.values()) if (run.channel === channel && run.ts === ts) return run;
    return undefined;
  }

  /** True when `user` may act on `run` as its owner: the requester, or an admin. */
  mayControl(run: TrackedRun, user: string): boolean {
    return (
      run.requester === user || (typeof this.admins === 'function' ? this.admins(user) : this.admins.includes(user))
    );
  }

  /**
   * Cancel run `runId` on behalf of `user`: only the requester or an admin may; a run that already ended (or was
   * cancelled a moment ago) is left as it is.
   */
  cancel(runId: string, user: string, reason = CANCEL_REASON): CancelOutcome {
    const run = this.runs.get(runId);
    if (!run) return { kind: 'unknown' };
    if (!this.mayControl(run, user)) return { kind: 'not-allowed', run };
    if (run.status !== 'running' || !run.handle) return { kind: 'already-ended', run };
    run.status = 'cancelled';
    run.cancelledBy = user;
    const handle = run.handle;
    run.handle = undefined;
    handle.cancel(reason);
    return { kind: 'cancelled', run };
  }
}
