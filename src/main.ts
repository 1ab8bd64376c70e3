/**
 * The Slack app's composition root (`npm start`, `npm run dev`): load `.env` when present → `loadConfig()` →
 * `createRuntime(config)` → `createSlackApp(...)` → start (Socket Mode with `SLACK_APP_TOKEN`, else HTTP on `PORT`,
 * with `GET /healthz`, `GET /readyz`, `GET /metrics` and `GET /perf`; in Socket Mode the last two on `METRICS_PORT`) →
 * start the MCP data server and log the start-up time once ready → schedule the prewarm and the watchlist digests
 * after each US close (`src/ops/prewarm/`, `src/ops/digest/`; channel watchlists kept by `src/watchlists/`).
 * SIGINT/SIGTERM stop taking requests, let runs in progress finish (up to 20 s), then cancel the rest and close.
 * Configuration problems are printed as a plain list, without a stack trace, and exit with status 1.
 */
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type Config, loadConfig } from './config.js';
import { type Conversation, openConversation } from './conversation/index.js';
import { dataSourceNotices } from './data-config.js';
import { loadDotEnv } from './dotenv.js';
import { asTickerdeskError, ConfigError } from './errors.js';
import { logger } from './log.js';
import { createAdminActions } from './ops/admin.js';
import { type Alerter, createSlackAlerter, HIT_RATE_WINDOW } from './ops/alerts.js';
import type { DigestService } from './ops/digest/service.js';
import { METRICS_PATH, metricsRoute, startMetricsServer } from './ops/metrics-http.js';
import { observeRuns } from './ops/observe-runs.js';
import { PERF_PAGE_PATH, perfPageHandler, perfPageRoute } from './ops/perf-page.js';
import { perfFigures } from './ops/perf-report.js';
import { registerPrefetchMetrics } from './ops/prefetch-metrics.js';
import type { PrewarmService } from './ops/prewarm/service.js';
import { createRunMetrics } from './ops/run-metrics.js';
import { createReadiness, type ReadinessReport } from './readiness.js';
import { comparablePeers } from './research/peers.js';
import { createRuntime, type Runtime } from './runtime.js';
import type { SlackApp } from './slack/app.js';
import { slackConfigProblems, slackCredentialsFromEnv } from './slack/credentials.js';
import type { KeyvInstallationStore } from './slack/installations/installation-store.js';
import { TICKERDESK_SERVER } from './tools/index.js';
import { openClaimStore } from './tools/run-claims.js';
import { Watchlists } from './watchlists/service.js';
import { openWatchlistStore, type WatchlistStore } from './watchlists/store.js';

/** How long runs in progress may take to finish after a shutdown signal, ms. */
const SHUTDOWN_GRACE_MS = 20_000;

function fail(message: string): number {
  process.stderr.write(`tickerdesk: ${message}\n`);
  return 1;
}

/** Log how long the start took, from the process's start to the first readiness check that passed. */
function logStartup(report: ReadinessReport, mode: 'socket' | 'http'): void {
  const startupMs = Math.round(performance.now());
  const checks = Object.fromEntries(Object.entries(report.checks).map(([name, c]) => [name, c.detail]));
  if (report.ready) logger.info({ startupMs, mode, checks }, `tickerdesk ready in ${startupMs} ms`);
  else logger.warn({ startupMs, mode, checks }, `tickerdesk started in ${startupMs} ms but is not ready`);
}

async function main(): Promise<number> {
  // Node ≥ 20.12 reads .env itself; variables already set in the environment win.
  loadDotEnv();
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Every problem at once: the Slack settings too, not in a second round after the others are fixed.
    const slack = slackConfigProblems({ slack: slackCredentialsFromEnv(process.env) });
    return fail(`${new ConfigError([...err.problems, ...slack]).message}\nSee .env.example for every setting.`);
  }
  logger.level = config.logLevel;

  let runtime: Runtime | undefined;
  let conversation: Conversation | undefined;
  let slack: SlackApp;
  let metricsServer: Server | undefined;
  let prewarm: PrewarmService | undefined;
  let watchlistStore: WatchlistStore | undefined;
  let digests: DigestService | undefined;
  let digestSchedule: { stop(): void } | undefined;
  let installations: KeyvInstallationStore | undefined;
  // Claims on Redis with CACHE_URL (several instances behind a load balancer), else in this process.
  const claims = openClaimStore(config, logger);
  try {
    const problems = slackConfigProblems(config);
    if (problems.length > 0) throw new ConfigError(problems);
    // Alerts are judged on each finished run's record, once it is written (the alerter exists once Slack does).
    let alerter: Alerter | undefined;
    const onRecorded = async (runId: string) => {
      const metrics = runtime?.metrics;
      const run = alerter && (await metrics?.get(runId));
      if (!alerter || !metrics || !run || run.outcome === 'rejected') return;
      await alerter.evaluate(run, await metrics.recent(HIT_RATE_WINDOW * 3));
    };
    runtime = await createRuntime(config, { logger, smartPrefetch: true, followUpTools: true, onRecorded });
    const { gateway } = runtime;
    // Report threads' context (SQLite beside the cache, or Redis with CACHE_URL): follow-up questions are answered
    // in the thread, also after a restart or by another instance.
    // With the Claude writer, Claude answers follow-ups with tool use (the offline answerer when it cannot).
    const answerer =
      runtime.writerName === 'claude'
        ? (await import('./conversation/claude/index.js')).createClaudeAnswerer({
            config,
            gateway: runtime.gateway,
            logger: logger.child({ component: 'conversation' }),
          })
        : undefined;
    conversation = await openConversation(config, {
      gateway: runtime.gateway,
      logger: logger.child({ component: 'conversation' }),
      ...(answerer ? { answerer } : {}),
    });
    // Channel watchlists (SQLite beside the cache, or Redis with CACHE_URL), shared by every instance.
    watchlistStore = await openWatchlistStore(
      { sqlitePath: config.watchlists.path, redisUrl: config.cacheUrl },
      {
        logger: logger.child({ component: 'watchlists' }),
        opTimeoutMs: config.cacheTimeouts.opMs,
        connectTimeoutMs: config.cacheTimeouts.connectMs,
      },
    );
    // OAuth mode: each workspace's installation (its bot token sealed with SLACK_TOKEN_ENCRYPTION_KEY), in
    // installations.sqlite or Redis with CACHE_URL, so every instance answers every workspace.
    if (config.slack.oauth) {
      const { openInstallationStore } = await import('./slack/installations/installation-store.js');
      installations = await openInstallationStore(
        { sqlitePath: config.installationsPath, redisUrl: config.cacheUrl },
        config.slack.oauth.tokenKey,
        { logger: logger.child({ component: 'installations' }), connectTimeoutMs: config.cacheTimeouts.connectMs },
      );
    }
    const readiness = createReadiness({ gateway: runtime.gateway, server: TICKERDESK_SERVER });
    // Start the data server now (readiness checks list its tools), while Slack is being connected, and
    // read its ticker directory, so the first command after a deploy pays no spawn and is checked at once.
    const firstCheck = readiness.untilReady();
    void runtime.gateway.knownTickers?.(TICKERDESK_SERVER).catch(() => undefined);
    // Bolt is loaded only now, while the data server starts in its own process (loading Bolt is most of a start).
    const { createSlackApp } = await import('./slack/app.js');
    // Prometheus metrics watch every run from outside the pipeline: on the HTTP app as GET /metrics, in Socket Mode
    // on a server of their own when METRICS_PORT is set.
    const { cacheSize } = runtime;
    const prometheus = createRunMetrics({ cacheSize });
    runtime.prefetcher?.onEvent(registerPrefetchMetrics(prometheus.registry));
    const research = observeRuns(runtime.research, [prometheus.observe], (err) =>
      logger.warn({ err }, 'the Prometheus metrics could not watch a run; the run goes on'),
    );
    const { token, perfToken } = config.prometheus;
    const figures = perfFigures(runtime.metrics, config, logger, () => alerter?.counts() ?? []);
    const perfPage = { figures, token: perfToken };
    slack = createSlackApp({
      config,
      research,
      metrics: figures,
      runLog: runtime.metrics,
      sectionFeedback: runtime.writerName === 'claude',
      peers: (ticker) => comparablePeers(gateway, ticker),
      logger,
      claims,
      conversation: conversation.service,
      watchlists: new Watchlists({
        store: watchlistStore,
        checkTicker: (ticker, requester) =>
          research.checkTicker?.(ticker, { ...requester, via: 'slack' }) ?? Promise.resolve(undefined),
        gateway,
        maxTickers: config.watchlists.maxTickers,
      }),
      ...(installations ? { installations } : {}),
      readiness,
      routes: [metricsRoute(prometheus.registry, token), perfPageRoute(perfPage)],
      // Refusals are kept in the run log (shown by /perf and npm run perf, also after a restart) and counted.
      onRefused: async (refusal) => {
        prometheus.countRefusal(refusal.action, refusal.reason);
        await runtime?.metrics.recordRefusal(refusal);
      },
      // /perf reset, /perf flush-cache and /perf prewarm (ADMIN_USERS); the prewarm service exists once Slack is up.
      admin: createAdminActions({ config, metrics: runtime.metrics, prewarm: () => prewarm }),
    });
    alerter = createSlackAlerter(config.alerts, slack.clients, claims, logger.child({ component: 'alerts' }));
    if (slack.mode === 'socket' && config.prometheus.port !== undefined) {
      const port = config.prometheus.port;
      const served = await startMetricsServer(prometheus.registry, {
        port,
        token,
        routes: [{ path: PERF_PAGE_PATH, handler: perfPageHandler(perfPage) }],
      }).catch((err: unknown) => {
        const code = (err as { code?: string }).code;
        throw new ConfigError([`METRICS_PORT: cannot serve /metrics on port ${port} (${code ?? String(err)})`]);
      });
      metricsServer = served.server;
      logger.info(
        { port: served.port },
        `Prometheus metrics on http://0.0.0.0:${served.port}${METRICS_PATH}, the performance page on ${PERF_PAGE_PATH}`,
      );
    }
    await slack.start();
    // Said once the app is up, so that a start that fails shows only its own plain error line.
    for (const notice of dataSourceNotices(config.data)) logger.warn(notice);
    const mode = slack.mode;
    void firstCheck.then((report) => logStartup(report, mode));
    // After each US close, each channel with a watchlist gets one digest from the prewarmed cache (one instance posts
    // each channel's), and the watched tickers are prewarmed too.
    if (config.watchlists.digest) {
      const { createDigestService } = await import('./ops/digest/service.js');
      const { digestPoster } = await import('./slack/digest-poster.js');
      const { registerDigestMetrics } = await import('./ops/digest-metrics.js');
      digests = createDigestService({
        onSummary: registerDigestMetrics(prometheus.registry),
        store: watchlistStore,
        gateway: runtime.gateway,
        claims,
        // Each channel's digest is posted with the bot token of the channel's workspace (several in OAuth mode).
        post: digestPoster(slack.clients.forTeam, slack.launcher.budget),
        logger: logger.child({ component: 'digest' }),
      });
    }
    const digestAfter = digests;
    // After each US close, the most requested tickers are refreshed in the background (one instance per close), unless
    // PREWARM_ENABLED=false; an admin's /perf prewarm runs one by hand either way.
    {
      const { createPrewarmService } = await import('./ops/prewarm/service.js');
      const prewarmLogger = logger.child({ component: 'prewarm' });
      const { registerPrewarmMetrics } = await import('./ops/prewarm-metrics.js');
      const onSummary = registerPrewarmMetrics(prometheus.registry);
      prewarm = createPrewarmService(
        {
          config,
          gateway: runtime.gateway,
          claims,
          logger: prewarmLogger,
          onSummary,
          ...(digestAfter
            ? {
                moreTickers: () => digestAfter.watchedTickers(),
                afterPrewarm: async (session: string) => void (await digestAfter.digestSession(session)),
              }
            : {}),
        },
        { schedule: config.prewarm.enabled },
      );
      if (config.prewarm.enabled)
        prewarmLogger.info({ next: prewarm.next()?.toISOString() }, 'Prewarm scheduled after each US close');
    }
    if (!config.prewarm.enabled && digestAfter) {
      // No prewarm: the digests still follow each close, at the same moment, reading through the gateway.
      const { schedulePrewarm } = await import('./ops/prewarm/schedule.js');
      digestSchedule = schedulePrewarm(
        async (session) => {
          await digestAfter.digestSession(session);
        },
        logger.child({ component: 'digest' }),
      );
    }
  } catch (err) {
    metricsServer?.close();
    await conversation?.close().catch(() => undefined);
    digestSchedule?.stop();
    await digests?.close();
    await prewarm?.close();
    await watchlistStore?.close();
    await installations?.close();
    await runtime?.close().catch(() => undefined);
    await claims.close();
    if (err instanceof ConfigError) return fail(`${err.message}\nSee .env.example for every setting.`);
    const { describeStartError } = await import('./slack/app.js');
    return fail(describeStartError(err, config));
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    // A closed terminal (or a supervisor's reload signal) is a shutdown too, not a kill: runs end recorded.
    process.once('SIGHUP', () => resolve('SIGHUP'));
  });
  const force = () => {
    logger.warn('Second signal: exiting now');
    process.exit(1);
  };
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  process.once('SIGHUP', force);
  logger.info({ signal }, 'Shutting down: no new requests; letting runs in progress finish');
  await slack.stop(SHUTDOWN_GRACE_MS);
  metricsServer?.close();
  await conversation?.close();
  // A prewarm under way stops before its next call, while the gateway is still open for the calls already sent.
  digestSchedule?.stop();
  await digests?.close();
  await prewarm?.close();
  await watchlistStore?.close();
  await installations?.close();
  await runtime.close();
  // Runs cancelled just now release their channel claims as their threads finish: close the claims after that, or a
  // release on a closed store would reopen the Redis connection (or leave the ticker blocked for other instances).
  await Promise.race([slack.launcher.idle(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  await claims.close();
  logger.info('Stopped');
  return 0;
}

process.on('unhandledRejection', (reason) => {
  logger.error({ err: asTickerdeskError(reason).message }, 'Unhandled rejection');
});

try {
  process.exitCode = await main();
} catch (err) {
  process.exitCode = fail(asTickerdeskError(err).message);
}
setTimeout(() => process.exit(), 3000).unref();
