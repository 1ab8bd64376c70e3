/**
 * Telling Slack Web API failures apart, by the SDK's error classes and codes: rate limits (HTTP 429 with
 * `Retry-After`, or `ok: false` with `error: "ratelimited"`), messages too long, a bot outside the channel, a
 * missing scope, anything else. Also the words a person sees for each.
 */
import { webApi } from '@slack/bolt';
import { missingScopeNotice, notInChannelNotice } from './blocks/notices.js';

/** A classified Web API failure. */
export type SlackFailure =
  | { kind: 'ratelimited'; retryAfterMs: number; code: string }
  | { kind: 'too_long'; code: string }
  | { kind: 'not_in_channel'; code: string }
  | { kind: 'missing_scope'; code: string; scope?: string }
  | { kind: 'other'; code: string; message: string };

/** Wait used when Slack says `ratelimited` without a `Retry-After`, ms. */
export const DEFAULT_RETRY_AFTER_MS = 1000;

/** Classify anything a `WebClient` call threw. */
export function classifySlackError(err: unknown): SlackFailure {
  const code = (err as { code?: string } | undefined)?.code;
  if (code === webApi.ErrorCode.RateLimitedError) {
    const retryAfter = (err as webApi.WebAPIRateLimitedError).retryAfter;
    return { kind: 'ratelimited', retryAfterMs: Math.max(0, retryAfter * 1000), code: 'ratelimited' };
  }
  if (code === webApi.ErrorCode.PlatformError) {
    const data = (err as webApi.WebAPIPlatformError).data as webApi.WebAPICallResult & {
      error?: string;
      needed?: string;
      response_metadata?: { retryAfter?: number };
    };
    const error = data.error ?? 'unknown_error';
    if (error === 'ratelimited' || error === 'rate_limited') {
      const s = data.response_metadata?.retryAfter;
      return { kind: 'ratelimited', retryAfterMs: s === undefined ? DEFAULT_RETRY_AFTER_MS : s * 1000, code: error };
    }
    if (error === 'msg_too_long' || error === 'msg_blocks_too_long') {
      return { kind: 'too_long', code: error };
    }
    if (error === 'not_in_channel' || error === 'channel_not_found' || error === 'is_archived') {
      return { kind: 'not_in_channel', code: error };
    }
    if (error === 'missing_scope') {
      return { kind: 'missing_scope', code: error, ...(data.needed ? { scope: data.needed } : {}) };
    }
    return { kind: 'other', code: error, message: `Slack answered "${error}".` };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'other', code: code ?? 'unknown', message };
}

/** The words a person sees for a failure. */
export function describeSlackFailure(failure: SlackFailure): string {
  switch (failure.kind) {
    case 'not_in_channel':
      return notInChannelNotice();
    case 'missing_scope':
      return missingScopeNotice(failure.scope);
    case 'ratelimited':
      return ':hourglass: Slack is rate limiting tickerdesk right now. Try again in a minute.';
    case 'too_long':
      return 'Slack refused a message as too long.';
    case 'other':
      return `:warning: Slack refused the message: ${failure.message}`;
  }
}
