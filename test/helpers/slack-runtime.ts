/**
 * The Slack app on the real runtime for end-to-end tests: `createRuntime(config)` (our MCP server on the bundled data,
 * SQLite run log and cache in a temp TICKERDESK_HOME) behind the real Bolt app on its HTTP receiver, the Web API
 * answered by the local {@link SlackStandIn}. Also the small helpers those tests share: signed slash commands and
 * waiting for a condition.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Conversation, openConversation } from '../../src/conversation/index.js';
import type { FollowUpAnswerer } from '../../src/conversation/types.js';
import { logger } from '../../src/log.js';
import { createAdminActions } from '../../src/ops/admin.js';
import { createPrewarmService } from '../../src/ops/prewarm/service.js';
import { comparablePeers } from '../../src/research/peers.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createSlackApp, type SlackApp, type SlackAppDeps } from '../../src/slack/app.js';
import { type KeyvInstallationStore, openInstallationStore } from '../../src/slack/installations/installation-store.js';
import { SlackMethodBudget } from '../../src/slack/method-budget.js';
import { type ClaimStore, createMemoryClaims } from '../../src/tools/run-claims.js';
import {
  type AppResponse,
  blockActionBody,
  commandBody,
  eventBody,
  postSigned,
  type SignedInteractions,
  viewBody,
} from './slack-request.js';
import { SlackStandIn } from './slack-stand-in.js';
import { renderBlocks } from './slack-transcript.js';
import { bundledConfig } from './test-config.js';

const FORM = 'application/x-www-form-urlencoded';

/** A running Slack app on the real runtime, and its stand-in. */
export interface SlackOnRuntime extends SignedInteractions {
  standIn: SlackStandIn;
  runtime: Runtime;
  slack: SlackApp;
  /** `http://127.0.0.1:PORT/slack/events`. */
  appUrl: string;
  secret: string;
  /** Send a slash command signed as Slack signs it; `tag` names its response_url (`response_url:<tag>` calls). */
  command(
    command: string,
    text: string,
    options?: { channel?: string; tag?: string; user?: string; team?: string; orgWide?: string },
  ): Promise<AppResponse>;
  /** The conversation layer (thread store, follow-up answers). */
  conversation: Conversation;
  /** TICKERDESK_HOME of this app (SQLite cache, run log, thread store). */
  home: string;
  /** OAuth mode (`SLACK_CLIENT_ID` … in `env`): the installations, in `installations.sqlite` of the home. */
  installations?: KeyvInstallationStore;
  /** The app's base URL, `http://127.0.0.1:PORT`. */
  baseUrl: string;
  /** Stop the app, close the runtime and the stand-in, remove the temp home (those not passed in). */
  close(): Promise<void>;
}

/** Poll `predicate` every 25 ms until it holds. @throws after `timeoutMs` naming `what`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 25_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Start the stand-in, the runtime and the Slack app. `env` adds to the test configuration (e.g. the writer and the
 * Anthropic stand-in's URL).
 */
export async function startSlackOnRuntime(
  env: Record<string, string> = {},
  options: {
    home?: string;
    standIn?: SlackStandIn;
    peers?: boolean;
    /** Answers follow-up questions instead of the offline answerer (which then answers when it fails). */
    answerer?: FollowUpAnswerer;
    /**
     * Admin commands as main.ts wires them (`/perf reset`, `flush-cache`, `prewarm`): a prewarm service without its
     * schedule, claiming on `claims` (another instance's store when shared). Unset: no admin commands.
     */
    admin?: { claims?: ClaimStore };
  } & Pick<SlackAppDeps, 'sectionFeedback'> = {},
): Promise<SlackOnRuntime> {
  const secret = 'runtime-signing-secret-0123456789';
  const standIn = options.standIn ?? (await new SlackStandIn().start());
  const home = options.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-slack-runtime-'));
  const config = bundledConfig({
    TICKERDESK_HOME: home,
    CACHE_OP_TIMEOUT_MS: '10000', // a slow write on a loaded machine is no failing cache (see vitest.config.ts)
    WRITER: 'template',
    SLACK_BOT_TOKEN: standIn.token,
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: standIn.apiUrl,
    PORT: '0',
    ...env,
  });
  const runtime = await createRuntime(config, { logger });
  const prewarm = options.admin
    ? createPrewarmService({
        config,
        gateway: runtime.gateway,
        claims: options.admin.claims ?? createMemoryClaims(),
        logger,
      })
    : undefined;
  const conversation = await openConversation(config, {
    gateway: runtime.gateway,
    logger,
    ...(options.answerer ? { answerer: options.answerer } : {}),
  });
  // OAuth mode: the installation store main.ts opens (the tests run without Redis: in the home's SQLite file).
  const installations = config.slack.oauth
    ? await openInstallationStore({ sqlitePath: config.installationsPath }, config.slack.oauth.tokenKey, { logger })
    : undefined;
  const slack = createSlackApp({
    ...(installations ? { installations } : {}),
    config,
    research: runtime.research,
    metrics: runtime.metrics,
    runLog: runtime.metrics,
    logger,
    conversation: conversation.service,
    ...(options.sectionFeedback ? { sectionFeedback: true } : {}),
    // As main.ts: a finished report's Compare with… lists the ticker's peers from get_peers.
    ...(options.peers ? { peers: (ticker: string) => comparablePeers(runtime.gateway, ticker) } : {}),
    // Many runs in one workspace within a minute, on a stand-in that does not limit: the tiers are tested apart.
    budget: new SlackMethodBudget({ share: 100 }),
    // As main.ts: refusals are kept in the run log.
    onRefused: (refusal) => runtime.metrics.recordRefusal(refusal),
    ...(prewarm ? { admin: createAdminActions({ config, metrics: runtime.metrics, prewarm: () => prewarm }) } : {}),
  });
  const { port } = await slack.start(0);
  const appUrl = `http://127.0.0.1:${port}/slack/events`;
  return {
    standIn,
    runtime,
    slack,
    appUrl,
    secret,
    home,
    conversation,
    command: (name, text, options = {}) =>
      postSigned(
        appUrl,
        commandBody({
          command: name,
          text,
          ...(options.channel ? { channelId: options.channel } : {}),
          ...(options.user ? { userId: options.user } : {}),
          ...(options.team ? { teamId: options.team } : {}),
          ...(options.orgWide ? { orgWide: options.orgWide } : {}),
          responseUrl: standIn.responseUrl(options.tag ?? options.channel ?? 'cmd'),
        }),
        FORM,
        { secret },
      ),
    action: (action, where) =>
      postSigned(
        appUrl,
        blockActionBody({ action, ...where, responseUrl: standIn.responseUrl(where.tag ?? `action:${where.user}`) }),
        FORM,
        { secret },
      ),
    view: (type, view, user) => postSigned(appUrl, viewBody(type, view, user), FORM, { secret }),
    event: (event) => postSigned(appUrl, eventBody(event), 'application/json', { secret }),
    ...(installations ? { installations } : {}),
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await slack.stop(5000);
      await installations?.close();
      await conversation.close();
      await prewarm?.close();
      await runtime.close();
      // A stand-in or home passed in belongs to the caller (a restart reuses both).
      if (!options.standIn) await standIn.close();
      if (!options.home) fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Run `/research-stock TICKER` in `channel` and wait until its parent shows the verdict and everything is posted.
 * @returns the parent's ts.
 */
export async function researchInSlack(app: SlackOnRuntime, channel: string, ticker = 'NVDA'): Promise<string> {
  const res = await app.command('/research-stock', ticker, { channel });
  if (res.status !== 200 || res.body !== '') throw new Error(`The command was not acked: ${res.status} ${res.body}`);
  let parentTs = '';
  await waitFor(
    () => {
      const parent = [...app.standIn.messages.values()].find((m) => m.channel === channel && !m.threadTs);
      parentTs = parent?.ts ?? '';
      return parent !== undefined && renderBlocks(parent.blocks).includes('*Verdict:*');
    },
    `the final parent in ${channel}`,
    60_000,
  );
  await app.slack.launcher.idle();
  return parentTs;
}
