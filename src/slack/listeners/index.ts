/**
 * Registers every Slack listener. Nothing else happens here.
 */
import type { App, InstallationQuery } from '@slack/bolt';
import type { Logger } from '../../log.js';
import type { AdminActions } from '../../ops/admin.js';
import type { Watchlists } from '../../watchlists/service.js';
import type { PerfSource } from '../app.js';
import type { RunLogAccess } from '../feedback.js';
import type { FollowUps } from '../follow-ups.js';
import type { Permissions } from '../permissions.js';
import type { RunLauncher } from '../run-launcher.js';
import type { RunRegistry } from '../run-registry.js';
import { registerActions } from './actions/index.js';
import { registerPerfCommand } from './commands/perf.js';
import { registerResearchStockCommand } from './commands/research-stock.js';
import { registerAgentSessionStopped } from './events/agent-session-stopped.js';
import { registerAppHomeOpened } from './events/app-home-opened.js';
import { registerAppMention } from './events/app-mention.js';
import { registerAppUninstalled } from './events/app-uninstalled.js';
import { registerDirectMessage } from './events/direct-message.js';
import { registerThreadMessage } from './events/thread-message.js';
import { registerViews } from './views/index.js';

/** What listeners hand work to. */
export interface ListenerDeps {
  launcher: RunLauncher;
  /** The runs shown here, for the report buttons to find. */
  registry: RunRegistry;
  /** Who may run research where, and who may use admin commands (in-memory checks). */
  permissions: Permissions;
  /** The run log: feedback is stored with each run's record; the Home tab reads recent runs. Unset: neither. */
  runLog?: RunLogAccess;
  metrics: PerfSource;
  logger: Logger;
  /** Answers questions in report threads; without it, thread replies are left alone. */
  followUps?: FollowUps;
  /** The admin commands' work (`/perf reset`, `/perf flush-cache`, `/perf prewarm`); unset: they say so. */
  admin?: AdminActions;
  /** OAuth mode: the installations, so that an uninstalled workspace's is deleted. Unset: one `SLACK_BOT_TOKEN`. */
  installations?: { deleteInstallation(query: InstallationQuery<boolean>): Promise<void> };
  /** Channel watchlists (`/research-stock watch …`); without them the subcommands say they are not enabled. */
  watchlists?: Watchlists;
}

/**
 * Register `/research-stock`, `/perf`, `app_mention`, messages in the bot's direct messages, messages in report
 * threads (follow-up questions) and the report buttons on `app`.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerActions(app, deps);
  registerViews(app, deps);
  registerAppHomeOpened(app, deps);
  registerAppUninstalled(app, deps);
  registerAgentSessionStopped(app, deps);
  registerResearchStockCommand(app, deps);
  registerPerfCommand(app, deps);
  registerAppMention(app, deps);
  registerDirectMessage(app, deps);
  registerThreadMessage(app, deps);
}
