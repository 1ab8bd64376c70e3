/**
 * The Slack app factory. Builds a Bolt app from its dependencies (config, research service, metrics, logger) so
 * `main.ts` and the tests build the same thing: Socket Mode when `SLACK_APP_TOKEN` is set (development), otherwise
 * the HTTP receiver on `PORT` with Slack's request signing verified (production).
 */
import type { Server } from 'node:http';
import { App, type CustomRoute, type InstallationStore, webApi } from '@slack/bolt';
import type { PerfRun } from '../charts/perf-chart.js';
import type { Config } from '../config.js';
import type { ConversationService } from '../conversation/service.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { PerfReport } from '../metrics/types.js';
import type { AdminActions } from '../ops/admin.js';
import type { Readiness } from '../readiness.js';
import type { ResearchService, RunResult } from '../research/types.js';
import type { ClaimStore } from '../tools/run-claims.js';
import type { Watchlists } from '../watchlists/service.js';
import type { PeerOption } from './blocks/run-actions.js';
import { boltLogger } from './bolt-logger.js';
import { clientOptions } from './client-options.js';
import type { SettleRetry } from './coalesced-updater.js';
import { slackConfigProblems } from './credentials.js';
import type { RunLogAccess } from './feedback.js';
import { FollowUps } from './follow-ups.js';
import { healthRoutes } from './health-routes.js';
import { INSTALL_PATH, oauthAppOptions } from './installations/oauth.js';
import {
  type ClientInstallations,
  installedClients,
  singleTokenClients,
  type WorkspaceClients,
} from './installations/workspace-clients.js';
import { registerListeners } from './listeners/index.js';
import type { SlackMethodBudget } from './method-budget.js';
import { Permissions, type PermissionsOptions } from './permissions.js';
import { RunLauncher } from './run-launcher.js';
import { RunRegistry } from './run-registry.js';
import { classifySlackError } from './slack-errors.js';

export { clientOptions } from './client-options.js';
export { type SlackCredentials, slackConfigProblems, slackCredentialsFromEnv } from './credentials.js';

/** Anything that can produce the /perf figures (the metrics store). */
export interface PerfSource {
  perfReport(): PerfReport | Promise<PerfReport>;
  /** The `n` most recent run records, newest first (for `/perf chart`). */
  recent?(n: number): Promise<PerfRun[]>;
}

/** What the Slack app needs. */
export interface SlackAppDeps {
  config: Config;
  research: ResearchService;
  metrics: PerfSource;
  logger: Logger;
  /** Longest gap between visible progress changes, ms. @default 5000 */
  heartbeatMs?: number;
  /** The Web API budget every run shares. @default Slack's published tiers (`SLACK_METHOD_LIMITS`) */
  budget?: SlackMethodBudget;
  /**
   * Claims shared with the other instances (Redis with `CACHE_URL`, see `openClaimStore`), so a request Slack
   * redelivers to another instance, or the same ticker asked in the same channel on another instance, starts no
   * second run. @default claims in this instance only
   */
  claims?: ClaimStore;
  /** Back-off for a run's last parent edit. @default 2 retries, 500 ms then 1 s */
  finalRetry?: SettleRetry;
  /** Answers `GET /readyz` (and adds `GET /healthz`) on the HTTP receiver; Socket Mode has no HTTP server. */
  readiness?: Readiness;
  /** More routes of the HTTP receiver (operations: `GET /metrics`); Socket Mode has no HTTP server. */
  routes?: CustomRoute[];
  /**
   * Keeps report threads and answers follow-up questions in them (`src/conversation/`); without it, replies in a
   * report's thread are left alone and a mention there starts a report as anywhere else.
   */
  conversation?: ConversationService;
  /** The run log (feedback stored with each run's record, the Home tab's recent reports). Unset: neither. */
  runLog?: RunLogAccess;
  /** An LLM writes the sections: each ends with feedback buttons. @default false */
  sectionFeedback?: boolean;
  /**
   * Peers of a ticker (same GICS sub-industry) for a finished report's Compare with… picker. Unset, or no peers: no
   * picker.
   */
  peers?: (ticker: string) => Promise<readonly PeerOption[]>;
  /** Channel watchlists (`/research-stock watch …`, `src/watchlists/`). Unset: the subcommands say they are off. */
  watchlists?: Watchlists;
  /**
   * Told of each permission refusal (main.ts stores it in the run log and counts it for Prometheus). Unset: refusals
   * are counted in memory only.
   */
  onRefused?: PermissionsOptions['onRefused'];
  /** The admin commands' work (`/perf reset`, `/perf flush-cache`, `/perf prewarm`; `ADMIN_USERS` only). */
  admin?: AdminActions;
  /**
   * OAuth mode (`config.slack.oauth`): where installations are kept (`openInstallationStore`); required there.
   * Each request is answered with the bot token of its workspace's installation; work the app starts itself finds a
   * workspace's, or its organisation's org-wide one ({@link installedClients}).
   */
  installations?: Required<InstallationStore> & ClientInstallations;
}

/** A built Slack app. */
export interface SlackApp {
  app: App;
  /** Admits and follows runs; `launcher.idle()` waits until every started run is fully shown. */
  launcher: RunLauncher;
  /** Answers questions in report threads (when a conversation service was given); `idle()` waits for the answers. */
  followUps?: FollowUps;
  /** The permission policy: its refusals, and `loaded()` for the first user-group fetch. */
  permissions: Permissions;
  mode: 'socket' | 'http';
  /**
   * A client per workspace for work the app starts itself (alerts): the app's client with one `SLACK_BOT_TOKEN`,
   * the installation's bot token in OAuth mode.
   */
  clients: WorkspaceClients;
  /**
   * Verify the bot token (`auth.test`) and start receiving: a WebSocket in Socket Mode, else an HTTP server on
   * `port` (default `config.slack.port`; `0` picks a free port). Resolves with the HTTP port and server (HTTP mode).
   * @throws when Slack rejects the token or the port cannot be bound.
   */
  start(port?: number): Promise<{ port?: number; server?: Server }>;
  /** Stop receiving, then wait for runs in progress to finish showing (at most `graceMs`, default 30 s). */
  stop(graceMs?: number): Promise<void>;
}

/** Plain words for a failure to start: a rejected token, a port in use, Slack unreachable. */
export function describeStartError(err: unknown, config: Config): string {
  const failure = classifySlackError(err);
  const code = failure.code;
  const message = err instanceof Error ? err.message : String(err);
  if (['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'].includes(code)) {
    return `Slack rejected the token (${code}). Check SLACK_BOT_TOKEN (and SLACK_APP_TOKEN in Socket Mode), and that the app is installed in the workspace.`;
  }
  if (code === 'not_allowed_token_type' || code === 'missing_scope') {
    return `Slack refused the app-level token for Socket Mode (${code}). SLACK_APP_TOKEN must be an xapp- token with the connections:write scope (Basic Information → App-Level Tokens).`;
  }
  if ((err as { code?: string }).code === 'EADDRINUSE') {
    return `Port ${config.slack.port} is already in use. Set PORT to a free port, or stop the other process.`;
  }
  if (/ENOTFOUND|ECONNREFUSED|fetch failed|ETIMEDOUT/.test(message)) {
    return `Could not reach Slack${config.slack.apiUrl ? ` at ${config.slack.apiUrl}` : ''}: ${message}`;
  }
  return `The Slack app could not start: ${message}`;
}

/**
 * Build the Slack app. Nothing is contacted until `start()`.
 * @throws ConfigError listing what is missing (`SLACK_BOT_TOKEN`, and `SLACK_SIGNING_SECRET` in HTTP mode).
 */
export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { config, logger } = deps;
  const { botToken, signingSecret, appToken } = config.slack;
  const problems = slackConfigProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
  const { oauth } = config.slack;
  if (oauth && !deps.installations) throw new Error('OAuth mode needs an installation store (deps.installations)');
  const secrets = [botToken, signingSecret, appToken, oauth?.clientSecret, oauth?.stateSecret].filter(
    (s): s is string => Boolean(s),
  );
  const mode = appToken ? 'socket' : 'http';
  // Until started, the SDK's retry warnings are debug lines: a start that fails ends with one plain line instead.
  let starting = true;
  const sdkLogger = boltLogger(logger, secrets, () => starting);
  const common = {
    // One bot token, or Bolt's OAuth: the install paths, and each request authorised from the installations.
    ...(oauth && deps.installations
      ? oauthAppOptions(oauth, deps.installations, config.slack.apiUrl)
      : { token: botToken as string }),
    logger: sdkLogger,
    clientOptions: clientOptions(config.slack.apiUrl),
    deferInitialization: true,
    ignoreSelf: true,
  };
  const routes = [...(deps.readiness ? healthRoutes(deps.readiness) : []), ...(deps.routes ?? [])];
  const app =
    mode === 'socket'
      ? new App({ ...common, appToken: appToken as string, socketMode: true })
      : new App({
          ...common,
          signingSecret: signingSecret as string,
          port: config.slack.port,
          ...(routes.length > 0 ? { customRoutes: routes } : {}),
        });
  const permissions = new Permissions(
    {
      allowedChannels: config.slack.allowedChannels,
      allowedUsers: config.slack.allowedUsers,
      adminUsers: config.slack.adminUsers,
    },
    { logger: logger.child({ component: 'permissions' }), ...(deps.onRefused ? { onRefused: deps.onRefused } : {}) },
  );
  const registry = new RunRegistry((user) => permissions.isNamedAdmin(user));
  const launcher = new RunLauncher({
    registry,
    ...(deps.sectionFeedback ? { feedback: true } : {}),
    ...(config.slack.agentSessions ? { agentSessions: true } : {}),
    ...(deps.peers
      ? { peers: (result: RunResult) => (deps.peers as NonNullable<SlackAppDeps['peers']>)(result.ticker) }
      : {}),
    research: deps.research,
    logger: logger.child({ component: 'slack' }),
    runsPerUserPerMinute: config.slack.runsPerUserPerMinute,
    streaming: config.slack.streaming,
    ...(deps.heartbeatMs === undefined ? {} : { heartbeatMs: deps.heartbeatMs }),
    ...(deps.claims === undefined ? {} : { claims: deps.claims }),
    ...(deps.finalRetry === undefined ? {} : { finalRetry: deps.finalRetry }),
    ...(deps.budget === undefined ? {} : { budget: deps.budget }),
    ...(deps.conversation ? { threads: deps.conversation } : {}),
  });
  const followUps = deps.conversation
    ? new FollowUps({
        conversation: deps.conversation,
        logger: logger.child({ component: 'follow-ups' }),
        ...(deps.claims ? { claims: deps.claims } : {}),
      })
    : undefined;
  if (oauth) {
    // User groups named in the lists are listed in each workspace with its own bot token, from its first request on.
    app.use(async ({ context, client, next }) => {
      const workspace = context.teamId ?? context.enterpriseId;
      if (workspace && context.botToken) permissions.watch(workspace, client);
      await next();
    });
  }
  registerListeners(app, {
    launcher,
    ...(oauth && deps.installations ? { installations: deps.installations } : {}),
    ...(deps.watchlists ? { watchlists: deps.watchlists } : {}),
    registry,
    permissions,
    metrics: deps.metrics,
    ...(deps.runLog ? { runLog: deps.runLog } : {}),
    logger: logger.child({ component: 'slack' }),
    ...(followUps ? { followUps } : {}),
    ...(deps.admin ? { admin: deps.admin } : {}),
  });
  app.error(async (error) => {
    if ((error as { code?: string }).code === 'slack_bolt_authorization_error') {
      // OAuth mode: a request from a workspace with no installation (uninstalled, or never installed) is acknowledged
      // and left unanswered.
      logger.warn(
        { err: error.message },
        'A request from a workspace where tickerdesk is not installed was ignored (install it at /slack/install)',
      );
      return;
    }
    logger.error(
      { code: (error as { code?: string }).code, err: error.message },
      'Unhandled error in a Slack listener',
    );
  });

  return {
    app,
    launcher,
    ...(followUps ? { followUps } : {}),
    permissions,
    mode,
    clients:
      oauth && deps.installations
        ? installedClients(deps.installations, clientOptions(config.slack.apiUrl))
        : singleTokenClients(app.client),
    async start(port = config.slack.port) {
      await app.init();
      // User-group members load in the background; until then a group's members are refused, never waited for.
      // In OAuth mode each workspace's start with its first request (the middleware above).
      if (!oauth) void permissions.start(app.client);
      if (mode === 'socket') {
        // The Socket Mode client retries apps.connections.open for ever on missing_scope and
        // not_allowed_token_type (only auth errors stop it), so the app-level token is checked once here first: a
        // token that cannot open connections is a plain error at start. The URL it returns is left unused.
        const check = new webApi.WebClient(appToken, {
          ...clientOptions(config.slack.apiUrl),
          logger: sdkLogger,
          retryConfig: { retries: 0 },
        });
        await check.apps.connections.open({});
        await app.start();
        starting = false;
        logger.info('Slack app connected (Socket Mode)');
        return {};
      }
      const server = (await app.start(port)) as unknown as Server;
      starting = false;
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      logger.info(
        { port: bound },
        oauth
          ? `Slack app listening (HTTP, POST /slack/events; installs in many workspaces from GET ${INSTALL_PATH})`
          : 'Slack app listening (HTTP, POST /slack/events)',
      );
      return { port: bound, server };
    },
    async stop(graceMs = 30_000) {
      permissions.stop();
      await app.stop();
      const idle = Promise.all([launcher.idle(), followUps?.idle()]);
      await Promise.race([idle, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
