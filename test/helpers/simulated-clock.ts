/**
 * Runs Slack code on vitest's fake clock against the real stand-in (install it with
 * `vi.useFakeTimers({ toFake: SIMULATED })`): the clock moves from timer to timer only while no budgeted Web API
 * call is in flight, so every call reaches the stand-in at the simulated time it was made, and what happened can be
 * counted per simulated minute — never timed.
 */
import { vi } from 'vitest';
import type { SlackMethodBudget } from '../../src/slack/method-budget.js';
import type { SlackStandIn } from './slack-stand-in.js';

/** What the fake clock takes over: timers and `Date` (not I/O, `setImmediate` or `performance`). */
export const SIMULATED = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const;

/** Let the event loop run (real turns) until no budgeted call has been in flight for a few turns. */
async function quiet(budget: SlackMethodBudget): Promise<void> {
  for (let turns = 0, still = 0; still < 3; turns++) {
    if (turns > 200_000) throw new Error('A Web API call never finished');
    await new Promise<void>((resolve) => setImmediate(resolve));
    still = budget.active === 0 ? still + 1 : 0;
  }
}

/** Move the fake clock from timer to timer, only while nothing is in flight, until `work` settles. */
export async function drive<T>(budget: SlackMethodBudget, work: Promise<T>): Promise<T> {
  let settled = false;
  const done = () => {
    settled = true;
  };
  void work.then(done, done);
  for (let step = 0; !settled; step++) {
    if (step > 20_000) throw new Error('The work did not finish');
    await quiet(budget);
    if (settled) break;
    await vi.advanceTimersToNextTimerAsync();
  }
  return work;
}

/**
 * The longest stretch, ms, in which the thread of `parentTs` showed nothing new: no parent edit, no reply, no stream
 * chunk or edit of its streamed plan, and no loading state on show (Slack animates a loading state and a streaming
 * plan itself; a reply in the thread removes the loading state, as Slack does).
 */
export function longestSilence(standIn: SlackStandIn, parentTs: string, from: number, to: number): number {
  const streams = new Set(
    standIn
      .callsOf('chat.startStream')
      .filter((c) => c.args.thread_ts === parentTs && c.ts)
      .map((c) => c.ts),
  );
  const mine = standIn.calls.filter(
    (c) =>
      !c.error &&
      ((c.method === 'chat.update' && (c.args.ts === parentTs || streams.has(String(c.args.ts)))) ||
        (c.method === 'chat.postMessage' && c.args.thread_ts === parentTs) ||
        (c.method === 'chat.startStream' && c.args.thread_ts === parentTs) ||
        (c.method === 'chat.appendStream' && streams.has(String(c.args.ts))) ||
        (c.method === 'assistant.threads.setStatus' && c.args.thread_ts === parentTs)),
  );
  let longest = 0;
  let last = from;
  let shown = false;
  for (const c of mine) {
    if (!shown) longest = Math.max(longest, c.at - last);
    last = c.at;
    if (c.method === 'assistant.threads.setStatus') shown = String(c.args.status) !== '';
    if (c.method === 'chat.postMessage') shown = false;
  }
  if (!shown) longest = Math.max(longest, to - last);
  return longest;
}
