/**
 * A local Slack Web API stand-in on 127.0.0.1: answers `auth.test`, `chat.postMessage`, `chat.update`,
 * `chat.postEphemeral`, `chat.getPermalink`, `chat.delete` and `response_url` posts with real Web API JSON, the
 * three steps of `files.uploadV2` (`files.getUploadURLExternal`, the upload to a URL on this server,
 * `files.completeUploadExternal`; shared files are kept in {@link SlackStandIn.files}),
 * records every call with its time, and can be told to answer `ratelimited` (HTTP 429 + `Retry-After`, or
 * `ok: false`) or an error such as `msg_too_long` / `not_in_channel` for the next calls of a method.
 *
 * It answers as Slack does where the app's failure paths need it: a channel the bot was removed from, or that was
 * archived or deleted ({@link SlackStandIn.goneChannels}: `channel_not_found` for every call naming it), a deleted
 * message (`message_not_found`), an expired `response_url` (HTTP 404 `expired_url`), a direct message between two
 * people (`D…` channels other than the bot's own: `channel_not_found`; a user id as channel is the bot's direct
 * message with that person), an app-level token without `connections:write` ({@link SlackStandIn.connectionsError}),
 * and `files.getUploadURLExternal` takes the alt text only as `alt_txt`, the argument Slack documents. Posted and
 * edited blocks are held to Slack's Block Kit limits ({@link blockRuleError}: one table per message, 12,000
 * characters of `markdown` blocks, table sizes).
 *
 * Several workspaces: the bot token {@link SlackStandIn.token} belongs to team `T0TEST`; an app registered with
 * {@link SlackStandIn.registerOAuthApp} is installed through Slack's OAuth v2 flow — the consent page
 * `GET /oauth/v2/authorize` (the test names the workspace the person picks with `team=`) sends the browser to the
 * app's redirect URL with a one-time `code`, and `oauth.v2.access` exchanges it for a new bot token of that workspace
 * ({@link SlackStandIn.teamOfToken}). Each call records the token it came with; an uninstalled workspace's tokens
 * answer `token_revoked`.
 *
 * Enterprise Grid: an org admin installs the app org-wide when the consent page is given `enterprise=E…` (and the
 * workspaces the app is approved for, `teams=T…,T…`). `oauth.v2.access` then answers as Slack documents for an
 * org-wide app (`team: null`, `enterprise: { id, name }`, `is_enterprise_install: true`); the token acts in the
 * approved workspaces only (a `team_id` outside them answers `team_access_not_granted`, and the methods Slack says
 * need `team_id` from an org-wide token answer `missing_argument` without it), `auth.teams.list` lists them, and
 * `auth.test` names the organisation (`https://<id>.enterprise.slack.com/`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockRuleError } from './slack-block-rules.js';
import { chunksValid, type ReceivedChunk } from './slack-stream-rules.js';

/** One recorded call. `args` are the decoded form (or JSON) fields; `blocks` parsed from JSON. */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** Epoch ms when the request arrived. */
  at: number;
  /** HTTP status answered. */
  status: number;
  /** The Web API `error` answered, when `ok: false`. */
  error?: string;
  /** `ts` answered by postMessage. */
  ts?: string;
  retryNum?: string;
  /** The token the call came with (the `Authorization: Bearer` header, or the `token` field). */
  token?: string;
  /** The `Authorization` header as received, when there was one. */
  authorization?: string;
}

/** A workspace of the stand-in, as `auth.test` and `oauth.v2.access` describe it. */
export interface StandInTeam {
  id: string;
  name: string;
  /** The bot's user id in this workspace. */
  botUserId: string;
  botId: string;
  /** An org-wide installation's token (the id is then the enterprise's, `E…`): the workspaces it is approved for. */
  orgTeams?: string[];
}

/** An app registered for the OAuth install (Basic Information → App Credentials; OAuth & Permissions). */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** The redirect URL Slack sends the installing browser back to (`…/slack/oauth_redirect`). */
  redirectUrl: string;
}

/** A scripted failure for the next calls of one method. */
export type Failure =
  | { kind: 'ratelimited-429'; retryAfterS: number }
  | { kind: 'ratelimited-ok-false'; retryAfterS: number }
  | { kind: 'error'; error: string; needed?: string };

/** A Slack message as the stand-in stores it. */
export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks: unknown[];
  edits: number;
  /** `open` while a text stream (chat.startStream) accepts appends, then `stopped`. */
  stream?: 'open' | 'stopped';
  /** When the stream started (epoch ms); it takes appends for {@link SlackStandIn.streamMaxAgeMs}. */
  streamStartedAt?: number;
  /** Every chunk the stream received, in order. */
  chunks?: ReceivedChunk[];
}

/** A file shared through the `files.uploadV2` flow, as the stand-in stores it. */
export interface SharedFile {
  id: string;
  filename: string;
  title?: string;
  altText?: string;
  /** The bytes received at the upload URL. */
  data: Buffer;
  channel: string;
  threadTs?: string;
  initialComment?: string;
  /** Epoch ms of `files.completeUploadExternal`. */
  at: number;
}

const BOT_TOKEN = 'xoxb-test-token';
const TEST_TEAM: StandInTeam = { id: 'T0TEST', name: 'Tickerdesk Test', botUserId: 'U0BOT', botId: 'B0BOT' };
const APP_TOKEN = 'xapp-1-A0TICKER-1-test';
/** Methods that need `team_id` when called with an org-wide token (a few of those Slack lists). */
const ORG_TEAM_METHODS = new Set(['conversations.list', 'usergroups.list', 'usergroups.users.list', 'users.list']);

/** The stand-in server. */
export class SlackStandIn {
  readonly calls: RecordedCall[] = [];
  /** Messages by `ts`, with their latest content. */
  readonly messages = new Map<string, StoredMessage>();
  /** Channels the bot is not a member of (posts answer `not_in_channel`). */
  readonly notInChannels = new Set<string>();
  readonly token = BOT_TOKEN;
  /** Files completed with `files.completeUploadExternal`, in order. */
  readonly files: SharedFile[] = [];
  /** Files announced by `files.getUploadURLExternal`, with their bytes once uploaded. */
  private readonly pendingFiles = new Map<
    string,
    { filename: string; length: number; altText?: string; data?: Buffer }
  >();
  /** Channels gone for the bot (removed, archived, deleted): every call naming one answers `channel_not_found`. */
  readonly goneChannels = new Set<string>();
  /** `response_url` tags that have expired: posts answer HTTP 404 `expired_url`. */
  readonly expiredResponseUrls = new Set<string>();
  /** The bot's own direct-message channels (the Messages tab); other `D…` channels are DMs between people. */
  readonly botDmChannels = new Set<string>(['D0BOTDM']);
  /**
   * Channels where the app runs as an assistant (Slack's AI-app feature, with `assistant:write`):
   * `assistant.threads.setStatus` works there; elsewhere it answers `missing_scope` (needed `assistant:write`).
   */
  readonly assistantChannels = new Set<string>();
  /** Thread statuses set with `assistant.threads.setStatus`, in order. */
  readonly statuses: { channel: string; threadTs: string; status: string }[] = [];
  /** Set → `apps.connections.open` answers this error for the app token (e.g. `missing_scope`). */
  connectionsError: string | undefined;
  /** The loading state shown under each thread (by the parent's `ts`), as `assistant.threads.setStatus` set it. */
  readonly threadStatus = new Map<string, { status: string; loadingMessages: string[] }>();
  /**
   * Set → `assistant.threads.setStatus` answers this error everywhere (e.g. `missing_scope`), as a workspace without
   * loading states does; a thread that is not one of the channel's messages answers `invalid_thread_ts`.
   */
  statusError: string | undefined;
  /**
   * How long a stream takes appends, ms: after it Slack answers `message_not_in_streaming_state` (and the message
   * can be edited with `chat.update`). @default 300000 (about five minutes, as Slack)
   */
  streamMaxAgeMs = 5 * 60_000;
  /** Block types this workspace does not draw: a message with one answers `invalid_blocks` (e.g. `markdown`). */
  readonly refusedBlockTypes = new Set<string>();
  /** App-level token accepted by `apps.connections.open` (Socket Mode). */
  readonly appToken = APP_TOKEN;
  /** What `apps.connections.open` answers: the Socket Mode stand-in's URL. */
  socketUrl = '';
  /** Bot tokens by value, with their workspace: the single test token, and those issued by `oauth.v2.access`. */
  private readonly tokens = new Map<string, StandInTeam>([[BOT_TOKEN, TEST_TEAM]]);
  /** Tokens revoked by an uninstall: every call with one answers `token_revoked`. */
  private readonly revoked = new Set<string>();
  /** Grant codes the consent page issued and not yet exchanged, with the workspace chosen. */
  private readonly codes = new Map<string, { team: StandInTeam; clientId: string }>();
  /** The app registered for the OAuth install, when one is. */
  private oauthApp: OAuthApp | undefined;
  private readonly failures = new Map<
    string,
    { failure: Failure; match?: (args: Record<string, unknown>) => boolean }[]
  >();
  private readonly holds: {
    method: string;
    released: Promise<void>;
    match?: (args: Record<string, unknown>) => boolean;
  }[] = [];
  private readonly waiting: string[] = [];
  /** Views opened with `views.open` (modals), in order, with the trigger they answered. */
  readonly openedViews: { triggerId: string; view: Record<string, unknown> }[] = [];
  /** User groups by id (`S…`) with their member user ids, as `usergroups.users.list` answers them. */
  readonly userGroups = new Map<string, string[]>();
  /** The Home tab published with `views.publish`, by user id (the latest). */
  readonly homeViews = new Map<string, Record<string, unknown>>();
  private readonly server: http.Server;
  private seq = 0;
  private base = Math.floor(Date.now() / 1000);
  url = '';

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if ((req.url ?? '').startsWith('/upload/')) void this.receiveUpload(req, body, res);
        else if ((req.url ?? '').startsWith('/oauth/v2/authorize')) this.consent(req, res);
        else void this.holdThenHandle(req, body.toString('utf8'), res);
      });
    });
  }

  /** Register the app installed through OAuth (its client id and secret, and its one redirect URL). */
  registerOAuthApp(app: OAuthApp): void {
    this.oauthApp = app;
  }

  /** The workspace a bot token belongs to (undefined: not a token this stand-in issued). */
  teamOfToken(token: string): StandInTeam | undefined {
    return this.tokens.get(token);
  }

  /** Uninstall the app from workspace `teamId`, as Slack does before sending `app_uninstalled`: its tokens are revoked. */
  uninstall(teamId: string): void {
    for (const [token, team] of this.tokens) if (team.id === teamId) this.revoked.add(token);
  }

  /** Listen on a free port of 127.0.0.1. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The Web API base URL for `clientOptions.slackApiUrl`. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A `response_url` that posts back here, tagged `id`. */
  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Hold the next call of `method` (that `match` accepts, when given) unanswered until the returned function is
   * called: to see what happens before that call is answered.
   */
  hold(method: string, match?: (args: Record<string, unknown>) => boolean): () => void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.holds.push({ method, released, ...(match ? { match } : {}) });
    return release;
  }

  /** Calls held by {@link hold} that have arrived and wait, by method. */
  heldCalls(method: string): number {
    return this.waiting.filter((m) => m === method).length;
  }

  /** Answer the next `times` calls of `method` (those `match` accepts, when given) with `failure`. */
  failNext(method: string, failure: Failure, times = 1, match?: (args: Record<string, unknown>) => boolean): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push({ failure, ...(match ? { match } : {}) });
    this.failures.set(method, list);
  }

  private takeFailure(method: string, args: Record<string, unknown>): Failure | undefined {
    const list = this.failures.get(method) ?? [];
    const i = list.findIndex((f) => !f.match || f.match(args));
    if (i < 0) return undefined;
    const [entry] = list.splice(i, 1);
    return entry?.failure;
  }

  /** Recorded calls that name `channel` (as `channel` or `channel_id`), in arrival order. */
  callsIn(channel: string): RecordedCall[] {
    return this.calls.filter((c) => c.args.channel === channel || c.args.channel_id === channel);
  }

  /** Recorded calls of `method` (all methods when omitted), in arrival order. */
  callsOf(method?: string): RecordedCall[] {
    return method ? this.calls.filter((c) => c.method === method) : [...this.calls];
  }

  /** The upload step of `files.uploadV2`: the file's bytes (raw or multipart) posted to the URL we gave. */
  private async receiveUpload(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
    const id = decodeURIComponent((req.url ?? '').slice('/upload/'.length));
    const call: RecordedCall = { method: 'files.upload', args: { file_id: id }, at: Date.now(), status: 200 };
    const pending = this.pendingFiles.get(id);
    let data = body;
    const type = req.headers['content-type'] ?? '';
    if (type.includes('multipart/form-data')) {
      const form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
      let part: Blob | undefined;
      form.forEach((value) => {
        if (typeof value !== 'string') part ??= value;
      });
      data = part ? Buffer.from(await part.arrayBuffer()) : Buffer.alloc(0);
    }
    call.args.bytes = data.length;
    if (!pending || req.method !== 'POST') {
      call.status = 404;
      this.calls.push(call);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('unknown upload');
      return;
    }
    pending.data = data;
    this.calls.push(call);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${data.length}`);
  }

  /**
   * Slack's consent page, `GET /oauth/v2/authorize?client_id=…&scope=…&state=…`, after the person chose workspace
   * `team` (an id; its name is `team_name`, default `Team <id>`) and pressed Allow: a 302 to the app's redirect URL with
   * a one-time `code` and the `state` as given. With `enterprise` (an org admin installing org-wide) the grant is the
   * organisation's, approved for the workspaces in `teams`. An unknown client id answers 400, as Slack's page does.
   */
  private consent(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const q = url.searchParams;
    const call: RecordedCall = {
      method: 'oauth/v2/authorize',
      args: Object.fromEntries(q),
      at: Date.now(),
      status: 302,
    };
    this.calls.push(call);
    const app = this.oauthApp;
    const enterpriseId = q.get('enterprise');
    const teamId = enterpriseId ?? q.get('team');
    if (!app || q.get('client_id') !== app.clientId || !teamId) {
      call.status = 400;
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('invalid_client_id');
      return;
    }
    const suffix = teamId.replace(/^T0?/, '');
    const team: StandInTeam = {
      id: teamId,
      name: q.get('team_name') ?? (enterpriseId ? `Org ${teamId}` : `Team ${teamId}`),
      botUserId: `U0BOT${suffix}`,
      botId: `B0BOT${suffix}`,
      ...(enterpriseId ? { orgTeams: (q.get('teams') ?? '').split(',').filter(Boolean) } : {}),
    };
    const code = `code-${teamId}-${++this.seq}`;
    this.codes.set(code, { team, clientId: app.clientId });
    const back = new URL(app.redirectUrl);
    back.searchParams.set('code', code);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  /**
   * `oauth.v2.access` as Slack answers it for a bot-only install, in a workspace or org-wide: the client id and
   * secret (form fields, or HTTP Basic), a code the consent page issued (once), and the redirect URI when given must
   * be the app's.
   */
  private exchange(req: http.IncomingMessage, args: Record<string, unknown>): Record<string, unknown> {
    const app = this.oauthApp;
    let clientId = String(args.client_id ?? '');
    let clientSecret = String(args.client_secret ?? '');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic?.[1]) [clientId = '', clientSecret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    if (!app || clientId !== app.clientId) return { ok: false, error: 'invalid_client_id' };
    if (clientSecret !== app.clientSecret) return { ok: false, error: 'bad_client_secret' };
    if (args.redirect_uri !== undefined && args.redirect_uri !== app.redirectUrl)
      return { ok: false, error: 'bad_redirect_uri' };
    const grant = this.codes.get(String(args.code ?? ''));
    if (!grant) return { ok: false, error: 'invalid_code' };
    this.codes.delete(String(args.code));
    const token = `xoxb-${grant.team.id}-${++this.seq}-${Math.random().toString(36).slice(2, 12)}`;
    this.tokens.set(token, grant.team);
    return {
      ok: true,
      app_id: 'A0TICKER',
      authed_user: { id: 'U0INSTALLER' },
      scope:
        'commands,chat:write,app_mentions:read,channels:history,groups:history,im:history,files:write,usergroups:read',
      token_type: 'bot',
      access_token: token,
      bot_user_id: grant.team.botUserId,
      ...(grant.team.orgTeams
        ? { team: null, enterprise: { id: grant.team.id, name: grant.team.name }, is_enterprise_install: true }
        : { team: { id: grant.team.id, name: grant.team.name }, enterprise: null, is_enterprise_install: false }),
    };
  }

  private nextFileId(): string {
    this.seq++;
    return `F${String(this.seq).padStart(8, '0')}`;
  }

  private nextTs(): string {
    this.seq++;
    return `${this.base}.${String(this.seq).padStart(6, '0')}`;
  }

  private async holdThenHandle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): Promise<void> {
    const method = new URL(req.url ?? '/', this.url).pathname.replace(/^\/api\//, '');
    const i = this.holds.findIndex(
      (h) => h.method === method && (!h.match || h.match(decode(raw, req.headers['content-type']))),
    );
    const held = i >= 0 ? this.holds.splice(i, 1)[0] : undefined;
    if (held) {
      this.waiting.push(method);
      await held.released;
      this.waiting.splice(this.waiting.indexOf(method), 1);
    }
    this.handle(req, raw, res);
  }

  private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const args = decode(raw, req.headers['content-type']);
    const call: RecordedCall = { method: '', args, at: Date.now(), status: 200 };
    const retryNum = req.headers['x-slack-retry-num'];
    if (typeof retryNum === 'string') call.retryNum = retryNum;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      const b = body as { ok?: boolean; error?: string; ts?: string };
      if (b.ok === false && b.error) call.error = b.error;
      if (b.ts) call.ts = b.ts;
      this.calls.push(call);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith('/response/')) {
      const tag = url.pathname.slice('/response/'.length);
      call.method = `response_url:${tag}`;
      if (this.expiredResponseUrls.has(tag)) {
        call.status = 404;
        call.error = 'expired_url';
        this.calls.push(call);
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('expired_url');
        return;
      }
      send(200, { ok: true });
      return;
    }
    call.method = url.pathname.replace(/^\/api\//, '');
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : (args.token as string | undefined);
    if (token) call.token = token;
    if (auth) call.authorization = auth;
    if (call.method === 'oauth.v2.access') {
      send(200, this.exchange(req, args));
      return;
    }
    if (call.method === 'apps.connections.open') {
      if (token !== APP_TOKEN)
        send(200, { ok: false, error: token === BOT_TOKEN ? 'not_allowed_token_type' : 'invalid_auth' });
      else if (this.connectionsError)
        send(200, {
          ok: false,
          error: this.connectionsError,
          ...(this.connectionsError === 'missing_scope' ? { needed: 'connections:write', provided: '' } : {}),
        });
      else send(200, this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'internal_error' });
      return;
    }
    if (token && this.revoked.has(token)) {
      send(200, { ok: false, error: 'token_revoked' });
      return;
    }
    const team = token ? this.tokens.get(token) : undefined;
    if (!team) {
      send(200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' });
      return;
    }
    if (team.orgTeams) {
      const workspace = args.team_id === undefined ? undefined : String(args.team_id);
      if (workspace !== undefined && !team.orgTeams.includes(workspace)) {
        send(200, { ok: false, error: 'team_access_not_granted' });
        return;
      }
      if (workspace === undefined && ORG_TEAM_METHODS.has(call.method)) {
        send(200, { ok: false, error: 'missing_argument' });
        return;
      }
    }
    const named = String(args.channel ?? args.channel_id ?? '');
    if (this.goneChannels.has(named) || (named.startsWith('D') && !this.botDmChannels.has(named))) {
      send(200, { ok: false, error: 'channel_not_found' });
      return;
    }
    const failure = this.takeFailure(call.method, args);
    if (failure?.kind === 'ratelimited-429') {
      send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfterS) });
      return;
    }
    if (failure?.kind === 'ratelimited-ok-false') {
      send(200, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfterS) });
      return;
    }
    if (failure?.kind === 'error') {
      send(200, {
        ok: false,
        error: failure.error,
        ...(failure.needed ? { needed: failure.needed, provided: 'commands' } : {}),
      });
      return;
    }
    send(200, this.answer(call.method, args, team));
  }

  /** True while `message` is a stream that takes appends; a stream past its age stops, as Slack's do. */
  private streaming(message: StoredMessage): boolean {
    if (message.stream === 'open' && Date.now() - (message.streamStartedAt ?? 0) > this.streamMaxAgeMs)
      message.stream = 'stopped';
    return message.stream === 'open';
  }

  /** Keep a stream call's text and chunks on its message. */
  private takeChunks(message: StoredMessage, args: Record<string, unknown>): void {
    const chunks = (Array.isArray(args.chunks) ? args.chunks : []) as ReceivedChunk[];
    message.chunks = [...(message.chunks ?? []), ...chunks];
    message.text += String(args.markdown_text ?? '');
    for (const c of chunks) if (c.type === 'markdown_text') message.text += String(c.text);
  }

  /** Slack's refusal of `blocks` that break a Block Kit rule ({@link blockRuleError}), else `undefined`. */
  private blocksInvalid(blocks: unknown): Record<string, unknown> | undefined {
    const refusal = blockRuleError(blocks, this.refusedBlockTypes);
    if (!refusal) return undefined;
    return {
      ok: false,
      error: refusal.error,
      ...(refusal.messages ? { response_metadata: { messages: refusal.messages } } : {}),
    };
  }

  private answer(method: string, args: Record<string, unknown>, team: StandInTeam): Record<string, unknown> {
    const channel = String(args.channel ?? '');
    switch (method) {
      case 'auth.test':
        if (team.orgTeams)
          return {
            ok: true,
            url: `https://${team.id.toLowerCase()}.enterprise.slack.com/`,
            team: team.name,
            user: 'tickerdesk',
            ...(args.team_id ? { team_id: String(args.team_id) } : {}),
            user_id: team.botUserId,
            bot_id: team.botId,
            enterprise_id: team.id,
            is_enterprise_install: true,
          };
        return {
          ok: true,
          url:
            team === TEST_TEAM ? 'https://tickerdesk-test.slack.com/' : `https://${team.id.toLowerCase()}.slack.com/`,
          team: team.name,
          user: 'tickerdesk',
          team_id: team.id,
          user_id: team.botUserId,
          bot_id: team.botId,
          is_enterprise_install: false,
        };
      case 'auth.teams.list': {
        const ids = team.orgTeams ?? [team.id];
        const from = Number(args.cursor ?? 0) || 0;
        const limit = Number(args.limit ?? 100) || 100;
        const page = ids.slice(from, from + limit);
        return {
          ok: true,
          teams: page.map((id) => ({ id, name: `Team ${id}` })),
          response_metadata: { next_cursor: from + limit < ids.length ? String(from + limit) : '' },
        };
      }
      case 'chat.postMessage': {
        if (this.notInChannels.has(channel)) return { ok: false, error: 'not_in_channel' };
        const invalid = this.blocksInvalid(args.blocks);
        if (invalid) return invalid;
        const ts = this.nextTs();
        const message: StoredMessage = {
          channel,
          ts,
          text: String(args.text ?? ''),
          blocks: (args.blocks as unknown[]) ?? [],
          edits: 0,
          ...(args.thread_ts ? { threadTs: String(args.thread_ts) } : {}),
        };
        this.messages.set(ts, message);
        // Slack removes a thread's loading state when the app posts in the thread.
        if (message.threadTs) this.threadStatus.delete(message.threadTs);
        return {
          ok: true,
          channel,
          ts,
          message: {
            type: 'message',
            subtype: 'bot_message',
            text: message.text,
            ts,
            bot_id: 'B0BOT',
            blocks: message.blocks,
          },
        };
      }
      case 'chat.update': {
        const message = this.messages.get(String(args.ts));
        if (!message || message.channel !== channel) return { ok: false, error: 'message_not_found' };
        if (message.stream === 'open') return { ok: false, error: 'cant_update_message' };
        const invalid = this.blocksInvalid(args.blocks);
        if (invalid) return invalid;
        message.text = String(args.text ?? '');
        message.blocks = (args.blocks as unknown[]) ?? [];
        message.edits++;
        return {
          ok: true,
          channel,
          ts: message.ts,
          text: message.text,
          message: { text: message.text, blocks: message.blocks },
        };
      }
      case 'chat.startStream': {
        if (this.notInChannels.has(channel)) return { ok: false, error: 'not_in_channel' };
        if (!args.thread_ts) return { ok: false, error: 'invalid_arguments' };
        if (!args.recipient_user_id || !args.recipient_team_id)
          return { ok: false, error: 'missing_recipient_user_id' };
        if (args.chunks !== undefined && !chunksValid(args.chunks)) return { ok: false, error: 'invalid_chunks' };
        const empty = !Array.isArray(args.chunks) || args.chunks.length === 0;
        if (empty && args.markdown_text === undefined) return { ok: false, error: 'invalid_arguments' };
        const ts = this.nextTs();
        this.threadStatus.delete(String(args.thread_ts));
        const started: StoredMessage = {
          channel,
          ts,
          threadTs: String(args.thread_ts),
          text: '',
          blocks: [],
          edits: 0,
          stream: 'open',
          streamStartedAt: Date.now(),
          chunks: [],
        };
        this.messages.set(ts, started);
        this.takeChunks(started, args);
        return { ok: true, channel, ts };
      }
      case 'chat.appendStream': {
        const message = this.messages.get(String(args.ts));
        if (!message) return { ok: false, error: 'message_not_found' };
        if (!this.streaming(message)) return { ok: false, error: 'message_not_in_streaming_state' };
        if (args.chunks !== undefined && !chunksValid(args.chunks)) return { ok: false, error: 'invalid_chunks' };
        this.takeChunks(message, args);
        return { ok: true, channel, ts: message.ts };
      }
      case 'chat.stopStream': {
        const message = this.messages.get(String(args.ts));
        if (!message) return { ok: false, error: 'message_not_found' };
        if (!this.streaming(message)) return { ok: false, error: 'message_not_in_streaming_state' };
        if (args.chunks !== undefined && !chunksValid(args.chunks)) return { ok: false, error: 'invalid_chunks' };
        this.takeChunks(message, args);
        message.stream = 'stopped';
        return { ok: true, channel, ts: message.ts, message: { text: message.text, ts: message.ts } };
      }
      case 'assistant.threads.setStatus': {
        if (this.statusError)
          return {
            ok: false,
            error: this.statusError,
            ...(this.statusError === 'missing_scope' ? { needed: 'chat:write', provided: 'commands' } : {}),
          };
        const where = String(args.channel_id ?? '');
        if (!this.assistantChannels.has(where)) return { ok: false, error: 'missing_scope', needed: 'assistant:write' };
        if (!args.thread_ts) return { ok: false, error: 'invalid_arguments' };
        const thread = this.messages.get(String(args.thread_ts));
        if (!thread || thread.channel !== where) return { ok: false, error: 'invalid_thread_ts' };
        if (typeof args.status !== 'string') return { ok: false, error: 'invalid_arguments' };
        const loading = Array.isArray(args.loading_messages) ? args.loading_messages.map(String) : [];
        if (loading.length > 10) return { ok: false, error: 'invalid_arguments' };
        this.statuses.push({ channel: where, threadTs: thread.ts, status: args.status });
        if (args.status === '') this.threadStatus.delete(thread.ts);
        else this.threadStatus.set(thread.ts, { status: args.status, loadingMessages: loading });
        return { ok: true };
      }
      case 'chat.postEphemeral':
        if (this.notInChannels.has(channel)) return { ok: false, error: 'not_in_channel' };
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.getPermalink': {
        const ts = String(args.message_ts ?? '');
        if (!this.messages.has(ts)) return { ok: false, error: 'message_not_found' };
        return {
          ok: true,
          channel,
          permalink: `https://tickerdesk-test.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
        };
      }
      case 'files.getUploadURLExternal': {
        const filename = String(args.filename ?? '');
        const length = Number(args.length);
        if (!filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
        const id = this.nextFileId();
        this.pendingFiles.set(id, {
          filename,
          length,
          // Slack documents (and reads) `alt_txt`; any other name, such as the SDK's `alt_text`, is ignored.
          ...(args.alt_txt ? { altText: String(args.alt_txt) } : {}),
        });
        return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = (Array.isArray(args.files) ? args.files : []) as { id?: string; title?: string }[];
        const target = String(args.channel_id ?? '');
        if (files.length === 0) return { ok: false, error: 'invalid_arguments' };
        if (target && this.notInChannels.has(target)) return { ok: false, error: 'not_in_channel' };
        const shared: SharedFile[] = [];
        for (const f of files) {
          const pending = f.id ? this.pendingFiles.get(f.id) : undefined;
          if (!f.id || !pending?.data) return { ok: false, error: 'file_not_found' };
          if (pending.data.length !== pending.length) return { ok: false, error: 'file_upload_size_mismatch' };
          shared.push({
            id: f.id,
            filename: pending.filename,
            ...(f.title ? { title: f.title } : {}),
            ...(pending.altText ? { altText: pending.altText } : {}),
            data: pending.data,
            channel: target,
            ...(args.thread_ts ? { threadTs: String(args.thread_ts) } : {}),
            ...(args.initial_comment ? { initialComment: String(args.initial_comment) } : {}),
            at: Date.now(),
          });
        }
        for (const f of shared) this.pendingFiles.delete(f.id);
        if (args.thread_ts) this.threadStatus.delete(String(args.thread_ts));
        this.files.push(...shared);
        return {
          ok: true,
          files: shared.map((f) => ({ id: f.id, name: f.filename, title: f.title ?? f.filename, size: f.data.length })),
        };
      }
      case 'agents.sessions.setStatus': {
        const statuses = ['active', 'processing', 'suspended', 'closed'];
        if (!args.channel_id || !statuses.includes(String(args.status)))
          return { ok: false, error: 'invalid_arguments' };
        return { ok: true };
      }
      case 'views.open': {
        const view = args.view as Record<string, unknown> | undefined;
        if (!args.trigger_id || !view) return { ok: false, error: 'invalid_arguments' };
        this.openedViews.push({ triggerId: String(args.trigger_id), view });
        return { ok: true, view: { id: `V${String(++this.seq).padStart(8, '0')}`, ...view } };
      }
      case 'views.publish': {
        const view = args.view as Record<string, unknown> | undefined;
        if (!args.user_id || !view || view.type !== 'home') return { ok: false, error: 'invalid_arguments' };
        this.homeViews.set(String(args.user_id), view);
        return { ok: true, view: { id: `V${String(++this.seq).padStart(8, '0')}`, ...view } };
      }
      case 'usergroups.users.list': {
        const users = this.userGroups.get(String(args.usergroup ?? ''));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'chat.delete':
        this.messages.delete(String(args.ts));
        return { ok: true, channel, ts: args.ts };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function decode(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const json =
      ((k === 'blocks' || k === 'attachments' || k === 'files' || k === 'loading_messages' || k === 'chunks') &&
        v.startsWith('[')) ||
      (k === 'view' && v.startsWith('{'));
    out[k] = json ? JSON.parse(v) : v;
  }
  return out;
}
