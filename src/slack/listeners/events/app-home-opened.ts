/**
 * `app_home_opened` on the Home tab: publish (`views.publish`) the person's recent reports with links, the
 * most-researched tickers of their channel and the headline `/perf` figures. The Messages tab is left alone.
 * Bolt acknowledges events itself; a run log that cannot be read is logged and the tab is left as it was.
 */
import type { App } from '@slack/bolt';
import { homeData } from '../../app-home.js';
import { homeView } from '../../blocks/home.js';
import { classifySlackError } from '../../slack-errors.js';
import type { ListenerDeps } from '../index.js';

/** Register `app_home_opened`. */
export function registerAppHomeOpened(app: App, { runLog, logger }: ListenerDeps): void {
  // Each workspace's URL (for permalinks) is asked once, with its own client (several in OAuth mode).
  const workspaceUrls = new Map<string, Promise<string | undefined>>();
  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home' || !runLog) return;
    const workspace = context.teamId ?? context.enterpriseId ?? '';
    let workspaceUrl = workspaceUrls.get(workspace);
    if (!workspaceUrl) {
      workspaceUrl = client.auth
        .test()
        .then((r) => r.url)
        .catch(() => undefined);
      workspaceUrls.set(workspace, workspaceUrl);
    }
    try {
      const data = await homeData(runLog, event.user, await workspaceUrl);
      await client.views.publish({ user_id: event.user, view: homeView(data) });
    } catch (err) {
      logger.warn({ code: classifySlackError(err).code, user: event.user }, 'Could not publish the Home tab');
    }
  });
}
