/**
 * The conversation layer: follow-up questions answered in a report's thread. {@link openConversation} builds it from
 * the configuration and the runtime's gateway; front ends hand it threads (`follow`) and questions (`ask`).
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { ToolGateway } from '../tools/types.js';
import { createOfflineAnswerer } from './offline/index.js';
import { ConversationService } from './service.js';
import { gatewayThreadData } from './thread-data.js';
import { openThreadStore, type ThreadStore } from './thread-store.js';
import type { FollowUpAnswerer } from './types.js';

export { createOfflineAnswerer } from './offline/index.js';
export { ConversationService, type ThreadStart } from './service.js';
export { gatewayThreadData } from './thread-data.js';
export { openThreadStore, THREAD_TTL_MS, type ThreadStore } from './thread-store.js';
export type * from './types.js';

/** An opened conversation layer. */
export interface Conversation {
  service: ConversationService;
  store: ThreadStore;
  /** Wait for answers and thread records in progress, then close the store. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link openConversation}. */
export interface OpenConversationOptions {
  gateway: ToolGateway;
  logger: Logger;
  /**
   * The answerer for questions (e.g. the Claude answerer); the offline answerer then answers when it fails.
   * @default the offline answerer alone
   */
  answerer?: FollowUpAnswerer;
  /** Longest one answer may take, ms. @default 60000 */
  deadlineMs?: number;
}

/**
 * Open the thread store (`config.threadsPath`, or Redis with `config.cacheUrl`) and build the conversation service
 * on the runtime's `gateway`. Never throws: a store that cannot be opened is logged, and questions in old threads
 * then go unanswered (new threads too, until it works).
 */
export async function openConversation(config: Config, options: OpenConversationOptions): Promise<Conversation> {
  const store = await openThreadStore(
    { sqlitePath: config.threadsPath, redisUrl: config.cacheUrl },
    {
      logger: options.logger,
      opTimeoutMs: config.cacheTimeouts.opMs,
      connectTimeoutMs: config.cacheTimeouts.connectMs,
    },
  );
  const offline = createOfflineAnswerer();
  const service = new ConversationService({
    store,
    answerer: options.answerer ?? offline,
    ...(options.answerer ? { fallback: offline } : {}),
    data: gatewayThreadData(options.gateway),
    logger: options.logger,
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  });
  let closing: Promise<void> | undefined;
  return {
    service,
    store,
    close() {
      closing ??= (async () => {
        await Promise.race([service.idle(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
        await store.close();
      })();
      return closing;
    },
  };
}
