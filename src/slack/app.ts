/**
 * The Slack app factory. Builds a Bolt app from its dependencies (config, research service, metrics, logger) so
 * `main.ts` and the tests build the same thing: Socket Mode when `SLACK_APP_TOKEN` is set (development), otherwise
 * the HTTP receiver on `PORT` with Slack's request signing verified (production).
 */
import type { AddressInfo } from 'node:net';
import { App, type webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { PerfReport } from '../metrics/types.js';
import type { ResearchService } from '../research/types.js';
import { boltLogger } from './bolt-logger.js';
import { registerListeners } from './listeners/index.js';
import { RunLauncher } from './run-launcher.js';

/** Anything that can produce the /perf figures (the metrics store). */
export interface PerfSource {
  perfReport(): PerfReport | Promise<PerfReport>;
}

/** What the Slack app needs. */
export interface SlackAppDeps {
  config: Config;
  research: ResearchService;
  metrics: PerfSource;
  logger: Logger;
  /** Longest gap between visible progress changes, ms. @default 5000 */
  heartbeatMs?: number;
}

/** A built Slack app. */
export interface SlackApp {
  app: App;
  /** Admits and follows runs; `launcher.idle()` waits until every started run is fully shown. */
  launcher: RunLauncher;
  mode: 'socket' | 'http';
  /**
   * Verify the bot token (`auth.test`) and start receiving: a WebSocket in Socket Mode, else an HTTP server on
   * `port` (default `config.slack.port`; `0` picks a free port). Resolves with the HTTP port (HTTP mode).
   * @throws when Slack rejects the token or the port cannot be bound.
   */
  start(port?: number): Promise<{ port?: number }>;
  /** Stop receiving, then wait for runs in progress to finish showing (at most `graceMs`, default 30 s). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Web API client options: our own handling of rate limits (see `web-api-calls.ts`), short retries for network
 * errors instead of the SDK's thirty minutes, a 10 s timeout per request.
 */
export function clientOptions(apiUrl: string | undefined): webApi.WebClientOptions {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 3, factor: 2, minTimeout: 300, maxTimeout: 3000 },
    timeout: 10_000,
  };
}

/**
 * Build the Slack app. Nothing is contacted until `start()`.
 * @throws ConfigError listing what is missing (`SLACK_BOT_TOKEN`, and `SLACK_SIGNING_SECRET` in HTTP mode).
 */
export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { config, logger } = deps;
  const { botToken, signingSecret, appToken } = config.slack;
  const problems: string[] = [];
  if (!botToken) problems.push('SLACK_BOT_TOKEN: required (the xoxb- token from OAuth & Permissions)');
  if (!appToken && !signingSecret) {
    problems.push(
      'SLACK_SIGNING_SECRET: required in HTTP mode (Basic Information → Signing Secret), or set SLACK_APP_TOKEN for Socket Mode',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const secrets = [botToken, signingSecret, appToken].filter((s): s is string => Boolean(s));
  const mode = appToken ? 'socket' : 'http';
  const common = {
    token: botToken as string,
    logger: boltLogger(logger, secrets),
    clientOptions: clientOptions(config.slack.apiUrl),
    deferInitialization: true,
    ignoreSelf: true,
  };
  const app =
    mode === 'socket'
      ? new App({ ...common, appToken: appToken as string, socketMode: true })
      : new App({ ...common, signingSecret: signingSecret as string, port: config.slack.port });
  const launcher = new RunLauncher({
    research: deps.research,
    logger: logger.child({ component: 'slack' }),
    runsPerUserPerMinute: config.slack.runsPerUserPerMinute,
    ...(deps.heartbeatMs === undefined ? {} : { heartbeatMs: deps.heartbeatMs }),
  });
  registerListeners(app, { launcher, metrics: deps.metrics, logger: logger.child({ component: 'slack' }) });
  app.error(async (error) => {
    logger.error(
      { code: (error as { code?: string }).code, err: error.message },
      'Unhandled error in a Slack listener',
    );
  });

  return {
    app,
    launcher,
    mode,
    async start(port = config.slack.port) {
      await app.init();
      if (mode === 'socket') {
        await app.start();
        logger.info('Slack app connected (Socket Mode)');
        return {};
      }
      const server = (await app.start(port)) as unknown as { address(): AddressInfo | string | null };
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      logger.info({ port: bound }, 'Slack app listening (HTTP, POST /slack/events)');
      return { port: bound };
    },
    async stop(graceMs = 30_000) {
      await app.stop();
      await Promise.race([launcher.idle(), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    },
  };
}
