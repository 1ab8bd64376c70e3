/**
 * Where a Slack request becomes a research run: admission (redelivery de-duplication, one run per ticker and
 * channel at a time, a per-user rate limit), then the parent message, the run, and its thread writer. Listeners
 * call {@link RunLauncher.admit} before `ack()` (it is synchronous and cheap) and {@link RunLauncher.launch} after.
 */
import type { webApi } from '@slack/bolt';
import { asTickerdeskError, ErrorCode, UnknownTickerError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ResearchService, RunHandle, RunResult } from '../research/types.js';
import type { ClaimStore } from '../tools/run-claims.js';
import { setAgentSession } from './agent-session.js';
import { directMessageNotice, usageNotice } from './blocks/index.js';
import type { PeerOption } from './blocks/run-actions.js';
import type { SettleRetry } from './coalesced-updater.js';
import { SlackMethodBudget } from './method-budget.js';
import type { PrivateNote } from './private-note.js';
import type { RunRegistry } from './run-registry.js';
import { classifySlackError, describeSlackFailure } from './slack-errors.js';
import { StatusSupport } from './thread-status.js';
import { ThreadWriter } from './thread-writer.js';
import { UserRateLimit } from './user-rate-limit.js';

/** A request to research `ticker` from Slack. */
export interface LaunchRequest {
  /** Normalised ticker. */
  ticker: string;
  channel: string;
  user: string;
  /** Identifies one delivery: a slash command's `trigger_id` or an event's `event_id`. */
  requestKey?: string;
  /** `X-Slack-Retry-Num` of a redelivery. */
  retryNum?: number;
  /** Workspace id (`team_id`), needed to stream text to the requester. */
  teamId?: string;
  /** Attach the report as a Markdown file at the end of the thread (`/research-stock TICKER --file`). */
  attachReport?: boolean;
  /** Skip cache reads (the Refresh button, like `--fresh`). */
  fresh?: boolean;
}

/** What admission decided. Only `start` reserves the ticker in the channel. */
export type Admission =
  | { kind: 'start' }
  | { kind: 'redelivery' }
  | { kind: 'already-running'; permalink?: string; ts?: string }
  | { kind: 'rate-limited'; limit: number; retryInMs: number };

/** Dependencies of a {@link RunLauncher}. */
export interface RunLauncherOptions {
  research: ResearchService;
  logger: Logger;
  /** Runs one user may start per minute. */
  runsPerUserPerMinute: number;
  /** Passed to every {@link ThreadWriter}, ms. */
  heartbeatMs?: number;
  minEditIntervalMs?: number;
  /** Stream sections being written with `chat.startStream` (`SLACK_STREAMING`). @default false */
  streaming?: boolean;
  /** Claims shared across instances (Redis); the in-process checks in `admit` still run first. */
  claims?: ClaimStore;
  /** Back-off for the parent's last state (see `ThreadWriterOptions.finalRetry`). */
  finalRetry?: SettleRetry;
  /**
   * Set → reports carry buttons (Cancel, Refresh, Compare with…, Report file) and every run is kept here for their
   * actions to find.
   */
  registry?: RunRegistry;
  /**
   * Each run's thread is an agent session, `processing` while the run works (Slack's own Stop), `active` after
   * (`SLACK_AGENT_SESSIONS`). @default false
   */
  agentSessions?: boolean;
  /** Sections end with feedback buttons (an LLM writes them). @default false */
  feedback?: boolean;
  /** Peers offered by Compare with… for a finished run (same GICS sub-industry). @default none: no picker */
  peers?: (result: RunResult) => Promise<readonly PeerOption[]>;
  /** The Web API budget every run shares. @default a {@link SlackMethodBudget} at Slack's published tiers */
  budget?: SlackMethodBudget;
  /** Loading states (`assistant.threads.setStatus`) carry the "still working" beat where allowed. @default true */
  loadingStates?: boolean;
  /**
   * Keeps each run's thread context once its parent is posted (the conversation service), so questions in the
   * thread can be answered; the run's thread is fully shown only once this has resolved.
   */
  threads?: ThreadKeeper;
}

/** Keeps a run's thread context: see `ConversationService.follow`. Never rejects. */
export interface ThreadKeeper {
  follow(handle: RunHandle, where: { channel: string; threadTs: string; requester: string }): Promise<void>;
}

interface Running {
  ts?: string;
  permalink?: string;
  /** The user's place in the rate limit, given back when no run starts. */
  slot: { user: string; at: number };
}

const SEEN_TTL_MS = 15 * 60_000;
/** A run still going after this long is cancelled, so a stuck run cannot hold its ticker in a channel, ms. */
export const MAX_RUN_MS = 15 * 60_000;

/** Admits and starts runs; tracks the ones in progress. */
export class RunLauncher {
  private readonly running = new Map<string, Running>();
  private readonly seen = new Map<string, number>();
  private readonly limiter: UserRateLimit;
  private readonly active = new Set<Promise<unknown>>();
  /** The Web API budget shared by every run of this app. */
  readonly budget: SlackMethodBudget;
  /** Workspaces that refused loading states. */
  readonly statusSupport = new StatusSupport();

  constructor(private readonly options: RunLauncherOptions) {
    this.limiter = new UserRateLimit(options.runsPerUserPerMinute, 60_000);
    this.budget = options.budget ?? new SlackMethodBudget();
  }

  /** Decide whether `request` starts a run. Synchronous: safe before `ack()`. */
  admit(request: LaunchRequest): Admission {
    const now = Date.now();
    for (const [key, expires] of this.seen) if (expires < now) this.seen.delete(key);
    if (request.requestKey !== undefined) {
      if (this.seen.has(request.requestKey)) return { kind: 'redelivery' };
      this.seen.set(request.requestKey, now + SEEN_TTL_MS);
    }
    const key = `${request.channel}:${request.ticker}`;
    const running = this.running.get(key);
    if (running) {
      if ((request.retryNum ?? 0) > 0) return { kind: 'redelivery' };
      return {
        kind: 'already-running',
        ...(running.permalink ? { permalink: running.permalink } : {}),
        ...(running.ts ? { ts: running.ts } : {}),
      };
    }
    const retryInMs = this.limiter.retryInMs(request.user, now);
    if (retryInMs > 0) return { kind: 'rate-limited', limit: this.options.runsPerUserPerMinute, retryInMs };
    // Reserved now (admission is synchronous, so a burst cannot slip past the limit) and given back by `launch`
    // when no run starts (unknown ticker, bot not in the channel): only runs that start count.
    this.limiter.record(request.user, now);
    this.running.set(key, { slot: { user: request.user, at: now } });
    return { kind: 'start' };
  }

  /**
   * Post the parent, start the run and follow it in the background. Call only after `admit` returned `start`.
   * Problems a person can act on (bot not in channel, missing scope, pipeline refusal) go to `notify` in plain
   * words; this never rejects.
   */
  async launch(request: LaunchRequest, client: webApi.WebClient, notify: PrivateNote): Promise<void> {
    const key = `${request.channel}:${request.ticker}`;
    const log = this.options.logger.child({ ticker: request.ticker, channel: request.channel, user: request.user });
    // Across instances: the first to claim a delivery handles it; a run of this ticker in this channel on another
    // instance points the person to it (the claim store says only that it exists, so the note names no thread).
    const claims = this.options.claims;
    if (claims) {
      if (
        request.requestKey !== undefined &&
        !(await claims.claim(`slack:delivery:${request.requestKey}`, SEEN_TTL_MS))
      ) {
        this.release(key);
        log.info('Ignored a request another instance has handled');
        return;
      }
      if (!(await claims.claim(`slack:running:${key}`, MAX_RUN_MS))) {
        this.release(key);
        await notify(alreadyRunningElsewhere(request.ticker));
        return;
      }
    }
    // An unknown ticker is refused privately before anything is posted in the channel (cheap: the ticker directory
    // is cached; only an unlisted ticker costs one profile call, which brings the close matches).
    const refused = await this.options.research
      .checkTicker?.(request.ticker, { user: request.user, channel: request.channel, via: 'slack' })
      .catch(() => undefined);
    if (refused) {
      this.release(key);
      void claims?.release(`slack:running:${key}`);
      log.info({ code: refused.code }, 'Refused before posting: unknown ticker');
      const example = refused instanceof UnknownTickerError ? refused.suggestions[0] : undefined;
      await notify(usageNotice(refused.message, '/research-stock', example));
      return;
    }
    // The installation's workspace; one budget and one memory of refusals per workspace.
    const workspace = request.teamId ?? 'workspace';
    let writer: ThreadWriter;
    try {
      writer = await ThreadWriter.open({
        client,
        channel: request.channel,
        ticker: request.ticker,
        requester: request.user,
        logger: log,
        ...(this.options.heartbeatMs === undefined ? {} : { heartbeatMs: this.options.heartbeatMs }),
        ...(this.options.minEditIntervalMs === undefined ? {} : { minEditIntervalMs: this.options.minEditIntervalMs }),
        retractOn: (error) => error.code === ErrorCode.UnknownTicker || error.code === ErrorCode.InvalidInput,
        ...(request.attachReport ? { attachReport: true } : {}),
        ...(this.options.finalRetry ? { finalRetry: this.options.finalRetry } : {}),
        ...(this.options.feedback ? { feedback: true } : {}),
        ...(this.options.registry ? { buttons: this.options.peers ? { peers: this.options.peers } : {} } : {}),
        gate: this.budget.gate(workspace, request.channel),
        ...(this.options.loadingStates === false ? {} : { status: { support: this.statusSupport, workspace } }),
        ...(this.options.streaming && request.teamId && request.user
          ? { stream: { teamId: request.teamId, userId: request.user } }
          : {}),
      });
    } catch (err) {
      this.release(key);
      void claims?.release(`slack:running:${key}`);
      const failure = classifySlackError(err);
      log.warn({ code: failure.code }, 'Could not post the parent message');
      // A direct message between two people: the bot can never post there, and inviting it does not apply.
      const dm = failure.kind === 'not_in_channel' && request.channel.startsWith('D');
      await notify(dm ? directMessageNotice() : describeSlackFailure(failure));
      return;
    }
    const entry = this.running.get(key);
    if (entry) entry.ts = writer.ts;
    const done = this.follow(request, writer, key, log, notify, client);
    this.active.add(done);
    void done.finally(() => this.active.delete(done));
    void writer.permalink().then((link) => {
      const current = this.running.get(key);
      if (link && current && current.ts === writer.ts) current.permalink = link;
    });
  }

  /** The data sources' ticker directory (to find a ticker in a sentence); undefined when unknown. Never rejects. */
  async knownTickers(): Promise<ReadonlySet<string> | undefined> {
    return this.options.research.knownTickers?.().catch(() => undefined);
  }

  /** Resolves when every run started so far is fully shown (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  /** Runs in progress, as `channel:ticker` keys. */
  runningKeys(): string[] {
    return [...this.running.keys()];
  }

  private async follow(
    request: LaunchRequest,
    writer: ThreadWriter,
    key: string,
    log: Logger,
    notify: PrivateNote,
    client: webApi.WebClient,
  ): Promise<void> {
    const slot = this.running.get(key)?.slot;
    const session = {
      channel: writer.channel,
      threadTs: writer.ts,
      title: `Research: ${request.ticker}`,
      user: request.user,
    };
    if (this.options.agentSessions) await setAgentSession(client, session, 'processing', log);
    let kept: Promise<void> | undefined;
    try {
      const handle = this.options.research.start(request.ticker, {
        requester: {
          user: request.user,
          channel: request.channel,
          via: 'slack',
          thread: writer.ts,
          ...(request.teamId ? { team: request.teamId } : {}),
        },
        ...(request.fresh ? { fresh: true } : {}),
      });
      handle.result.catch(() => undefined);
      kept = this.options.threads?.follow(handle, {
        channel: request.channel,
        threadTs: writer.ts,
        requester: request.user,
      });
      log.info({ runId: handle.runId, ts: writer.ts }, 'Research run started from Slack');
      const registry = this.options.registry;
      registry?.started(
        {
          runId: handle.runId,
          ticker: handle.ticker,
          channel: writer.channel,
          ts: writer.ts,
          requester: request.user,
          ...(request.teamId ? { teamId: request.teamId } : {}),
        },
        handle,
      );
      const watchdog = setTimeout(() => handle.cancel('it took longer than 15 minutes'), MAX_RUN_MS);
      watchdog.unref();
      const result = await writer.follow(handle).finally(() => clearTimeout(watchdog));
      registry?.ended(handle.runId, result);
      if (this.options.agentSessions) await setAgentSession(client, session, 'active', log);
    } catch (err) {
      const error = asTickerdeskError(err);
      log.warn({ code: error.code }, 'The research run could not start');
      await writer.follow(refusedHandle(request.ticker, error));
    } finally {
      this.running.delete(key);
      void this.options.claims?.release(`slack:running:${key}`);
      await kept;
    }
    const refused = writer.retracted;
    if (refused) {
      if (slot) this.limiter.forget(slot.user, slot.at);
      const example = refused instanceof UnknownTickerError ? refused.suggestions[0] : undefined;
      await notify(usageNotice(refused.message, '/research-stock', example));
    }
    if (writer.privateNote) await notify(writer.privateNote);
  }

  /** Forget the run reserved for `key` by `admit`, and give the user's rate-limit place back. */
  private release(key: string): void {
    const entry = this.running.get(key);
    this.running.delete(key);
    if (entry) this.limiter.forget(entry.slot.user, entry.slot.at);
  }
}

/** The private note for a ticker already being researched in this channel by another instance. */
function alreadyRunningElsewhere(ticker: string): string {
  return `:hourglass_flowing_sand: ${ticker} is already being researched in this channel. Follow its thread; no second run was started.`;
}

/** A handle for a run the pipeline refused to start: no events, a rejected result. */
function refusedHandle(ticker: string, error: Error): Parameters<ThreadWriter['follow']>[0] {
  const result = Promise.reject(error);
  result.catch(() => undefined);
  const handle = {
    runId: 'not-started',
    ticker,
    result,
    on: () => handle,
    off: () => handle,
    cancel: () => undefined,
  };
  return handle;
}
