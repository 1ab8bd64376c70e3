/**
 * A sliding-window count of runs per Slack user: at most `limit` starts in any `windowMs`.
 */
export class UserRateLimit {
  private readonly starts = new Map<string, number[]>();

  /** @param limit starts allowed per window. @param windowMs window length, ms. */
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** 0 when `user` may start now, else ms until the oldest start in the window leaves it. `now` is epoch ms. */
  retryInMs(user: string, now: number): number {
    const recent = (this.starts.get(user) ?? []).filter((t) => t > now - this.windowMs);
    this.starts.set(user, recent);
    if (recent.length < this.limit) return 0;
    return (recent[0] ?? now) + this.windowMs - now;
  }

  /** Take back the start counted for `user` at `at` (epoch ms), when it did not become a run. */
  forget(user: string, at: number): void {
    const list = this.starts.get(user) ?? [];
    const i = list.indexOf(at);
    if (i >= 0) list.splice(i, 1);
  }

  /** Count one start by `user` at `now` (epoch ms). */
  record(user: string, now: number): void {
    const list = this.starts.get(user) ?? [];
    list.push(now);
    this.starts.set(user, list);
  }
}
