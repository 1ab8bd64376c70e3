/**
 * Registers every Slack listener. Nothing else happens here.
 */
import type { App } from '@slack/bolt';
import type { Logger } from '../../log.js';
import type { PerfSource } from '../app.js';
import type { RunLauncher } from '../run-launcher.js';
import { registerPerfCommand } from './commands/perf.js';
import { registerResearchStockCommand } from './commands/research-stock.js';
import { registerAppMention } from './events/app-mention.js';
import { registerDirectMessage } from './events/direct-message.js';

/** What listeners hand work to. */
export interface ListenerDeps {
  launcher: RunLauncher;
  metrics: PerfSource;
  logger: Logger;
}

/** Register `/research-stock`, `/perf`, `app_mention` and messages in the bot's direct messages on `app`. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerResearchStockCommand(app, deps);
  registerPerfCommand(app, deps);
  registerAppMention(app, deps);
  registerDirectMessage(app, deps);
}
