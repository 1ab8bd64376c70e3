/**
 * Short ephemeral answers: usage, refusals and errors a person can act on. Pure.
 */
import { clip, escapeMrkdwn } from './format.js';

/** Shown with a bad, unknown or missing ticker; `example` is the ticker suggested (a close match when known). */
export function usageNotice(problem: string, command = '/research-stock', example = 'NVDA'): string {
  return `${escapeMrkdwn(problem)}\nTry \`${command} ${example}\` (one ticker; \`$AAPL\` and \`BRK.B\` work too).`;
}

/** The same ticker is already being researched in this channel. */
export function alreadyRunningNotice(ticker: string, permalink?: string): string {
  const where = permalink ? `<${permalink}|in this thread>` : 'in this channel (its message is on its way)';
  return `:hourglass_flowing_sand: ${escapeMrkdwn(ticker)} is already being researched ${where}. Follow it there; no second run was started.`;
}

/** The per-user rate limit was reached. */
export function rateLimitNotice(limit: number, retryInMs: number): string {
  const s = Math.max(1, Math.ceil(retryInMs / 1000));
  return `:raised_hand: You have started ${limit} research run${limit === 1 ? '' : 's'} in the last minute, the most allowed. Try again in ${s} s.`;
}

/** The bot cannot post in the channel. */
export function notInChannelNotice(): string {
  return ':wave: I can’t post in this channel yet. Invite me with `/invite @tickerdesk` (or mention me and choose *Invite them*), then run the command again. In a private conversation, add the app from the channel’s details.';
}

/** A command in a direct message between people, where the bot can never post. */
export function directMessageNotice(): string {
  return ':wave: I can’t post in a direct message between people. Run the command in a channel I’m in (invite me with `/invite @tickerdesk`), or in a direct message with me: open *tickerdesk* under *Apps* in the sidebar.';
}

/** The app lacks a scope. */
export function missingScopeNotice(scope: string | undefined): string {
  const which = scope ? `the \`${scope}\` scope` : 'a scope it needs';
  return `:lock: tickerdesk is missing ${which}. An admin should add it under *OAuth & Permissions* (or reinstall from \`manifest.yml\`) and reinstall the app.`;
}

/** Any other failure, in the error's own words. */
export function errorNotice(message: string): string {
  return clip(`:warning: ${escapeMrkdwn(message)}`, 2900);
}

/**
 * The channel went away during a run (`channel_not_found`, `not_in_channel`, `is_archived`): the run was stopped.
 * @param code Slack's error code.
 */
export function lostChannelNotice(ticker: string, channel: string, code: string): string {
  const why =
    code === 'is_archived' || code === 'channel_is_archived'
      ? 'the channel was archived'
      : code === 'not_in_channel'
        ? 'I was removed from the channel'
        : 'the channel was deleted, or I was removed from it';
  return `:warning: I stopped researching ${escapeMrkdwn(ticker)} in <#${channel}>: ${why} (Slack answered \`${code}\`). Invite me with \`/invite @tickerdesk\` and run \`/research-stock ${escapeMrkdwn(ticker)}\` again, or run it in another channel.`;
}

/** The run's message and thread in `channel` were deleted: the outcome, told privately. */
export function lostThreadNotice(channel: string, code: string, outcome: string): string {
  return `:warning: The research message in <#${channel}> was deleted (Slack answered \`${code}\`), so here is how it ended: ${escapeMrkdwn(outcome)}`;
}
