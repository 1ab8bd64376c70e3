/**
 * Requests to the app signed exactly as Slack signs them: `X-Slack-Signature: v0=` + HMAC-SHA256 of
 * `v0:{timestamp}:{raw body}` with the signing secret, `X-Slack-Request-Timestamp` in seconds. Slash commands are
 * form-encoded; events are JSON.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** Options of one signed request. */
export interface SignOptions {
  secret: string;
  /** Seconds since epoch. @default now */
  timestamp?: number;
  /** Adds `X-Slack-Retry-Num` (and `X-Slack-Retry-Reason: http_timeout`). */
  retryNum?: number;
  /** Use this signature instead of the right one. */
  signature?: string;
}

/** What the app answered, and when (epoch ms). */
export interface AppResponse {
  status: number;
  body: string;
  json: Record<string, unknown> | undefined;
  /** Epoch ms when the answer arrived. */
  at: number;
  /** Epoch ms when the request was sent. */
  sentAt: number;
}

/** `v0=` signature of `body` at `timestamp`. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POST `body` to `url` signed as Slack would. */
export async function postSigned(
  url: string,
  body: string,
  contentType: string,
  options: SignOptions,
): Promise<AppResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': options.signature ?? slackSignature(options.secret, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const sentAt = Date.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  const at = Date.now();
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, body: text, json, at, sentAt };
}

/** Fields of a slash command payload. */
export interface CommandFields {
  command: string;
  text: string;
  channelId?: string;
  userId?: string;
  responseUrl: string;
  triggerId?: string;
  /** `channel_name`: `directmessage` for a 1:1 DM, `mpdm-…` for a group DM. @default markets */
  channelName?: string;
  /** The workspace the command was typed in. @default T0TEST */
  teamId?: string;
  /**
   * The Enterprise Grid organisation of the workspace, when the app is installed there org-wide: sent as
   * `enterprise_id` with `is_enterprise_install=true`, as Slack does for an org-wide app.
   */
  orgWide?: string;
}

/** A slash command payload, form-encoded as Slack sends it. */
export function commandBody(f: CommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: f.teamId ?? 'T0TEST',
    team_domain: f.teamId ? f.teamId.toLowerCase() : 'tickerdesk-test',
    channel_id: f.channelId ?? 'C0MARKETS',
    channel_name: f.channelName ?? 'markets',
    user_id: f.userId ?? 'U0ALICE',
    user_name: 'alice',
    command: f.command,
    text: f.text,
    api_app_id: 'A0TICKER',
    is_enterprise_install: f.orgWide ? 'true' : 'false',
    ...(f.orgWide ? { enterprise_id: f.orgWide } : {}),
    response_url: f.responseUrl,
    trigger_id: f.triggerId ?? `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString('hex')}`,
  }).toString();
}

/** An `app_mention` event callback, as JSON. */
export function appMentionBody(
  text: string,
  options: { channel?: string; user?: string; eventId?: string; threadTs?: string } = {},
): string {
  const ts = `${Math.floor(Date.now() / 1000)}.000100`;
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T0TEST',
    api_app_id: 'A0TICKER',
    event: {
      type: 'app_mention',
      user: options.user ?? 'U0BOB',
      text,
      ts,
      channel: options.channel ?? 'C0MARKETS',
      event_ts: ts,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    },
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0TEST', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
  });
}

/** Fields of a `message` event (a reply in a thread when `threadTs` is set). */
export interface MessageFields {
  channel?: string;
  /** `channel` (public), `group` (private), `im`, `mpim`. @default channel */
  channelType?: string;
  user?: string;
  threadTs?: string;
  /** The message's own ts. @default a fresh one */
  ts?: string;
  /** `message_changed`, `channel_join`, `bot_message`, … */
  subtype?: string;
  /** Set for a message posted by a bot. */
  botId?: string;
  eventId?: string;
}

let messageSeq = 0;

/** A `message` event callback (`message.channels`, `message.groups`, `message.im`), as JSON. */
export function messageBody(text: string, options: MessageFields = {}): string {
  messageSeq++;
  const ts = options.ts ?? `${Math.floor(Date.now() / 1000)}.${String(500000 + messageSeq).padStart(6, '0')}`;
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T0TEST',
    api_app_id: 'A0TICKER',
    event: {
      type: 'message',
      ...(options.subtype ? { subtype: options.subtype } : {}),
      ...(options.botId ? { bot_id: options.botId } : {}),
      ...(options.user === '' ? {} : { user: options.user ?? 'U0BOB' }),
      text,
      ts,
      channel: options.channel ?? 'C0MARKETS',
      channel_type: options.channelType ?? 'channel',
      event_ts: ts,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    },
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0TEST', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
  });
}

/** Fields of a `block_actions` payload (a button or select pressed in a message). */
export interface BlockActionFields {
  /** The element pressed: `action_id`, `type` and its `value` (a button) or `selected_option` (a select). */
  action: { action_id: string; type?: string; value?: string; selected_option?: { value: string }; block_id?: string };
  user?: string;
  channel?: string;
  /** `ts` of the message the button is on. */
  messageTs: string;
  responseUrl: string;
  triggerId?: string;
}

/** A `block_actions` interactivity payload, form-encoded as Slack sends it: `payload=<JSON>`. */
export function blockActionBody(f: BlockActionFields): string {
  const user = f.user ?? 'U0ALICE';
  const channel = f.channel ?? 'C0MARKETS';
  const actionTs = `${Math.floor(Date.now() / 1000)}.${String(randomBytes(3).readUIntBE(0, 3)).padStart(6, '0')}`;
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0TICKER',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: f.messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: f.triggerId ?? `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString('hex')}`,
    team: { id: 'T0TEST', domain: 'tickerdesk-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: 'markets' },
    message: { type: 'message', user: 'U0BOT', ts: f.messageTs, bot_id: 'B0BOT', text: '', blocks: [] },
    state: { values: {} },
    response_url: f.responseUrl,
    actions: [
      {
        type: 'button',
        block_id: 'blk',
        action_ts: actionTs,
        ...f.action,
        ...(f.action.type === 'button' || f.action.type === undefined
          ? { text: { type: 'plain_text', text: 'x' } }
          : {}),
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A `view_submission` or `view_closed` payload, form-encoded as Slack sends it. */
export function viewBody(
  type: 'view_submission' | 'view_closed',
  view: { callback_id: string; private_metadata: string; values?: Record<string, Record<string, unknown>> },
  user = 'U0ALICE',
): string {
  const payload = {
    type,
    team: { id: 'T0TEST', domain: 'tickerdesk-test' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0TICKER',
    token: 'deprecated-verification-token',
    trigger_id: `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString('hex')}`,
    view: {
      id: `V${randomBytes(5).toString('hex').toUpperCase()}`,
      team_id: 'T0TEST',
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: { values: view.values ?? {} },
      hash: '1700000000.abcdef',
      title: { type: 'plain_text', text: 'Feedback' },
      blocks: [],
      app_id: 'A0TICKER',
      bot_id: 'B0BOT',
    },
    ...(type === 'view_closed' ? { is_cleared: false } : { response_urls: [] }),
    is_enterprise_install: false,
    enterprise: null,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/**
 * An event callback carrying `event` from workspace `teamId` (default T0TEST), as JSON (a fresh `event_id` each time);
 * with `orgWide`, for an app installed org-wide in that Enterprise Grid organisation (`is_enterprise_install`).
 */
export function eventBody(event: Record<string, unknown>, teamId = 'T0TEST', orgWide?: string): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: teamId,
    ...(orgWide ? { enterprise_id: orgWide } : {}),
    api_app_id: 'A0TICKER',
    event,
    type: 'event_callback',
    event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        team_id: teamId,
        ...(orgWide ? { enterprise_id: orgWide } : {}),
        user_id: 'U0BOT',
        is_bot: true,
        is_enterprise_install: orgWide !== undefined,
      },
    ],
  });
}

/** Interactivity and events sent to a running app, signed as Slack signs them. */
export interface SignedInteractions {
  /**
   * A button or select pressed in message `messageTs` of `channel` by `user`, form-encoded as Slack sends it; its
   * response_url is tagged `tag` (default `action:<user>`).
   */
  action(
    action: BlockActionFields['action'],
    where: { channel: string; user: string; messageTs: string; tag?: string },
  ): Promise<AppResponse>;
  /** A `view_submission` / `view_closed` payload from `user`. */
  view(
    type: 'view_submission' | 'view_closed',
    view: Parameters<typeof viewBody>[1],
    user: string,
  ): Promise<AppResponse>;
  /** An event callback carrying `event` (e.g. a `message` in the bot's direct message, `app_home_opened`). */
  event(event: Record<string, unknown>): Promise<AppResponse>;
}
