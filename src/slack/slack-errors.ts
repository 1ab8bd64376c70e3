/**
 * Telling Slack Web API failures apart, by the SDK's error classes and codes: rate limits (HTTP 429 with
 * `Retry-After`, or `ok: false` with `error: "ratelimited"`), messages too long, a channel the bot cannot post in
 * (not a member, archived, deleted), a message that is gone (`message_not_found`), blocks it will not draw (`invalid_blocks`, `invalid_attachments`), a missing scope, passing faults
 * worth another try (`internal_error`, `fatal_error`, `service_unavailable`, `request_timeout`, network errors, HTTP
 * 5xx), anything else. Also the words a person sees for each.
 */
import { webApi } from '@slack/bolt';
import { missingScopeNotice, notInChannelNotice } from './blocks/notices.js';

/** A classified Web API failure. */
export type SlackFailure =
  | { kind: 'ratelimited'; retryAfterMs: number; code: string }
  | { kind: 'too_long'; code: string }
  | { kind: 'blocks_refused'; code: string }
  | { kind: 'not_in_channel'; code: string }
  | { kind: 'message_gone'; code: string }
  | { kind: 'missing_scope'; code: string; scope?: string }
  | { kind: 'transient'; code: string; message: string }
  | { kind: 'other'; code: string; message: string };

/** Wait used when Slack says `ratelimited` without a `Retry-After`, ms. */
export const DEFAULT_RETRY_AFTER_MS = 1000;

/** Codes of a channel the bot can no longer post in: removed from it, or the channel archived or deleted. */
const CHANNEL_GONE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'channel_is_archived']);
/** Codes of a message (or thread) that no longer exists. */
const MESSAGE_GONE = new Set(['message_not_found', 'thread_not_found']);
/** Codes Slack documents as passing faults: the same call may succeed a moment later. */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * Codes with which Slack refuses a method to this app in this workspace or kind of conversation, not for this one
 * call: the scope missing, the token type, a channel or thread the method does not serve (loading states outside
 * an assistant thread or where the workspace has not enabled them), an unknown method (an older Slack).
 */
const UNSUPPORTED = new Set([
  'missing_scope',
  'not_allowed_token_type',
  'invalid_thread_ts',
  'method_not_supported_for_channel_type',
  'channel_type_not_supported',
  'feature_not_enabled',
  'access_denied',
  'unknown_method',
  'not_an_assistant_thread',
]);

/**
 * True when `failure` says the method itself is not available to the app here (see `UNSUPPORTED`), so calling it
 * again in this workspace would fail the same way: the caller remembers that and uses its fallback.
 */
export function isUnsupportedHere(failure: SlackFailure): boolean {
  return UNSUPPORTED.has(failure.code);
}

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
    if (error === 'invalid_blocks' || error === 'invalid_attachments') return { kind: 'blocks_refused', code: error };
    if (CHANNEL_GONE.has(error)) return { kind: 'not_in_channel', code: error };
    if (MESSAGE_GONE.has(error)) return { kind: 'message_gone', code: error };
    if (TRANSIENT.has(error)) return { kind: 'transient', code: error, message: `Slack answered "${error}".` };
    if (error === 'missing_scope') {
      return { kind: 'missing_scope', code: error, ...(data.needed ? { scope: data.needed } : {}) };
    }
    return { kind: 'other', code: error, message: `Slack answered "${error}".` };
  }
  const message = err instanceof Error ? err.message : String(err);
  if (code === webApi.ErrorCode.RequestError) return { kind: 'transient', code, message };
  if (code === webApi.ErrorCode.HTTPError && ((err as webApi.WebAPIHTTPError).statusCode ?? 0) >= 500) {
    return { kind: 'transient', code, message };
  }
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
    case 'blocks_refused':
      return 'Slack refused the layout of a message.';
    case 'message_gone':
      return ':warning: The message this was about has been deleted.';
    case 'transient':
    case 'other':
      return `:warning: Slack refused the message: ${failure.message}`;
  }
}
