/**
 * The Slack app on the research double for end-to-end tests: the real Bolt app on its HTTP receiver (a free port),
 * the Web API answered by a local {@link SlackStandIn}, runs driven by a {@link SlackResearchDouble}, a temp
 * TICKERDESK_HOME. Slash commands are signed as Slack signs them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Logger, logger as rootLogger } from '../../src/log.js';
import { createSlackApp, type SlackApp, type SlackAppDeps } from '../../src/slack/app.js';
import { SlackMethodBudget } from '../../src/slack/method-budget.js';
import type { ToolGateway } from '../../src/tools/types.js';
import { Watchlists } from '../../src/watchlists/service.js';
import { openWatchlistStore, type WatchlistStore } from '../../src/watchlists/store.js';
import {
  type AppResponse,
  appMentionBody,
  blockActionBody,
  commandBody,
  eventBody,
  postSigned,
  type SignedInteractions,
  viewBody,
} from './slack-request.js';
import type { SlackResearchDouble } from './slack-research-double.js';
import { waitFor } from './slack-runtime.js';
import { SlackStandIn } from './slack-stand-in.js';
import { bundledConfig } from './test-config.js';

const SECRET = 'double-app-signing-secret-0123456789';

/** A running app on the double, and its stand-in. */
export interface SlackOnDouble extends SignedInteractions {
  standIn: SlackStandIn;
  slack: SlackApp;
  appUrl: string;
  secret: string;
  /** A signed slash command from `user` in `channel`; its response_url is tagged `tag` (default: the channel). */
  command(
    command: string,
    text: string,
    where: { channel: string; user: string; tag?: string; channelName?: string },
  ): Promise<AppResponse>;
  /** A signed `app_mention` event. */
  mention(text: string, where: { channel: string; user: string }): Promise<AppResponse>;
  /** The channel watchlists' store (SQLite in the temp home), when started with `watchlists: true`. */
  watchlistStore?: WatchlistStore;
  /** The SQLite file of the watchlists (in the temp home). */
  watchlistPath: string;
  /** Wait until the double has `n` run records, then until the app has shown everything. */
  runsDone(n: number): Promise<void>;
  /** Stop the app and the stand-in, remove the temp home. */
  close(): Promise<void>;
}

/** Start the stand-in and the app on `research`; `env` adds to the configuration. */
export async function startSlackOnDouble(
  research: SlackResearchDouble,
  options: {
    env?: Record<string, string>;
    logger?: Logger;
    finalRetry?: SlackAppDeps['finalRetry'];
    /** User groups (`S…` → member ids) the stand-in answers `usergroups.users.list` with from the start. */
    userGroups?: Record<string, string[]>;
    /** Keep channel watchlists (a SQLite store in the temp home). @default false */
    watchlists?: boolean;
    /** The gateway whose cache `/research-stock watchlist` reads last closes from. @default none */
    watchlistGateway?: Pick<ToolGateway, 'peek'>;
  } = {},
): Promise<SlackOnDouble> {
  const standIn = await new SlackStandIn().start();
  for (const [group, users] of Object.entries(options.userGroups ?? {})) standIn.userGroups.set(group, users);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-slack-double-'));
  const config = bundledConfig({
    TICKERDESK_HOME: home,
    SLACK_BOT_TOKEN: standIn.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: standIn.apiUrl,
    PORT: '0',
    ...options.env,
  });
  const watchlistStore = options.watchlists
    ? await openWatchlistStore({ sqlitePath: config.watchlists.path }, { logger: options.logger ?? rootLogger })
    : undefined;
  const slack = createSlackApp({
    config,
    ...(watchlistStore
      ? {
          watchlists: new Watchlists({
            store: watchlistStore,
            checkTicker: (ticker) => research.checkTicker(ticker),
            maxTickers: config.watchlists.maxTickers,
            ...(options.watchlistGateway ? { gateway: options.watchlistGateway } : {}),
          }),
        }
      : {}),
    research,
    metrics: research,
    // Many runs in one workspace within a minute, on a stand-in that does not limit: the tiers are tested apart.
    budget: new SlackMethodBudget({ share: 100 }),
    logger: options.logger ?? rootLogger,
    ...(options.finalRetry ? { finalRetry: options.finalRetry } : {}),
  });
  const { port } = await slack.start(0);
  const appUrl = `http://127.0.0.1:${port}/slack/events`;
  const json = (body: string) => postSigned(appUrl, body, 'application/json', { secret: SECRET });
  return {
    standIn,
    slack,
    appUrl,
    secret: SECRET,
    ...(watchlistStore ? { watchlistStore } : {}),
    watchlistPath: config.watchlists.path,
    command: (command, text, where) =>
      postSigned(
        appUrl,
        commandBody({
          command,
          text,
          channelId: where.channel,
          userId: where.user,
          responseUrl: standIn.responseUrl(where.tag ?? where.channel),
          ...(where.channelName ? { channelName: where.channelName } : {}),
        }),
        'application/x-www-form-urlencoded',
        { secret: SECRET },
      ),
    mention: (text, where) => json(appMentionBody(text, where)),
    action: (action, where) =>
      postSigned(
        appUrl,
        blockActionBody({
          action,
          user: where.user,
          channel: where.channel,
          messageTs: where.messageTs,
          responseUrl: standIn.responseUrl(where.tag ?? `action:${where.user}`),
        }),
        'application/x-www-form-urlencoded',
        { secret: SECRET },
      ),
    view: (type, view, user) =>
      postSigned(appUrl, viewBody(type, view, user), 'application/x-www-form-urlencoded', { secret: SECRET }),
    event: (event) => json(eventBody(event)),
    async runsDone(n) {
      await waitFor(() => research.records.length >= n, `${n} finished runs`);
      await slack.launcher.idle();
    },
    async close() {
      await slack.stop(5000);
      await watchlistStore?.close();
      await standIn.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
