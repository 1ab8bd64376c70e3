/**
 * Slack's Web API rate limits as a budget the app spends on purpose. Slack limits each method per workspace (per app
 * and workspace, by tier: Tier 2 about 20 calls a minute, Tier 3 about 50, Tier 4 about 100) and `chat.postMessage`
 * per channel (about one a second, short bursts allowed). Every run in a workspace shares those minutes, so ten runs
 * editing their parents once a second would spend `chat.update`'s minute in five seconds. Here each (workspace,
 * method) — or (workspace, channel) for posting — has a p-queue in strict mode (a sliding window: never more than
 * its share of Slack's figure starts in any rolling window); calls wait their turn instead of being refused.
 * Last states go first (priority), and coalesced senders pick the newest state only when their turn comes.
 */
import PQueue from 'p-queue';

/** Methods the app spends under a budget. */
export type BudgetedMethod =
  | 'chat.postMessage'
  | 'chat.update'
  | 'assistant.threads.setStatus'
  | 'chat.startStream'
  | 'chat.appendStream'
  | 'chat.stopStream';

/** One method's budget: starts allowed in any rolling window, and whether it is counted per channel. */
export interface MethodLimit {
  /** Calls that may start in any rolling window of `windowMs`. */
  perWindow: number;
  /** Window, ms. @default 60000 */
  windowMs: number;
  /** `channel`: counted per channel of the workspace (chat.postMessage); else per workspace. */
  per: 'workspace' | 'channel';
}

/**
 * Slack's published limits (docs.slack.dev, rate limits and each method's page): `chat.update` Tier 3 (50+/min);
 * `assistant.threads.setStatus` special, taken as Tier 3; `chat.postMessage` about 1/s per channel with short bursts
 * (10 in 10 s); `chat.appendStream` Tier 4 (100+/min); `chat.startStream` and `chat.stopStream` Tier 2 (20+/min).
 * The budget spends a share of each ({@link BudgetOptions.share}).
 */
export const SLACK_METHOD_LIMITS: Readonly<Record<BudgetedMethod, MethodLimit>> = {
  'chat.update': { perWindow: 50, windowMs: 60_000, per: 'workspace' },
  'assistant.threads.setStatus': { perWindow: 50, windowMs: 60_000, per: 'workspace' },
  'chat.postMessage': { perWindow: 10, windowMs: 10_000, per: 'channel' },
  'chat.appendStream': { perWindow: 100, windowMs: 60_000, per: 'workspace' },
  'chat.startStream': { perWindow: 20, windowMs: 60_000, per: 'workspace' },
  'chat.stopStream': { perWindow: 20, windowMs: 60_000, per: 'workspace' },
};

/** Options of a {@link SlackMethodBudget}. */
export interface BudgetOptions {
  /**
   * Share of each published limit the app spends, e.g. 0.9 → 45 `chat.update` a minute per workspace (rounded
   * down, at least 1), leaving room for Slack's own counting and other clients of the token. @default 0.9
   */
  share?: number;
  /** Limits to use instead of {@link SLACK_METHOD_LIMITS}, per method. */
  limits?: Partial<Record<BudgetedMethod, MethodLimit>>;
}

/** Options of one budgeted call. */
export interface GateOptions {
  /** Greater goes first among calls waiting for the same budget (a run's last state: 1). @default 0 */
  priority?: number;
}

/** Runs `call` when `method`'s budget allows (one workspace and channel are bound in). */
export type Gate = <T>(method: BudgetedMethod, call: () => Promise<T>, options?: GateOptions) => Promise<T>;

/** A gate that never waits: for code used without a budget (tests of one writer, the CLI). */
export const openGate: Gate = (_method, call) => call();

/** The app's Web API budget across runs and workspaces. */
export class SlackMethodBudget {
  private readonly queues = new Map<string, PQueue>();
  private readonly limits: Readonly<Record<BudgetedMethod, MethodLimit>>;
  /** Budgeted calls started and not yet answered. */
  active = 0;

  constructor(options: BudgetOptions = {}) {
    const share = options.share ?? 0.9;
    const all = { ...SLACK_METHOD_LIMITS, ...options.limits };
    this.limits = Object.fromEntries(
      Object.entries(all).map(([method, l]) => [
        method,
        { ...l, perWindow: Math.max(1, Math.floor(l.perWindow * share)) },
      ]),
    ) as Record<BudgetedMethod, MethodLimit>;
  }

  /** The starts `method` may make in any rolling window, after the share. */
  limitOf(method: BudgetedMethod): MethodLimit {
    return this.limits[method];
  }

  /** The gate for calls in `channel` of `workspace` (a team id; any stable key of the installation). */
  gate(workspace: string, channel: string): Gate {
    return (method, call, options) => this.run(method, workspace, channel, call, options);
  }

  /** Run `call` when `method`'s budget for `workspace` (and `channel`, for per-channel methods) allows. */
  async run<T>(
    method: BudgetedMethod,
    workspace: string,
    channel: string,
    call: () => Promise<T>,
    options: GateOptions = {},
  ): Promise<T> {
    const limit = this.limits[method];
    const key = limit.per === 'channel' ? `${workspace}:${method}:${channel}` : `${workspace}:${method}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new PQueue({ intervalCap: limit.perWindow, interval: limit.windowMs, strict: true });
      this.queues.set(key, queue);
    }
    return queue.add(
      async () => {
        this.active++;
        try {
          return await call();
        } finally {
          this.active--;
        }
      },
      { priority: options.priority ?? 0 },
    );
  }
}
