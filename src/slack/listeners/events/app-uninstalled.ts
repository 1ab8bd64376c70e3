/**
 * OAuth mode: `app_uninstalled` (the app was removed from a workspace) and `tokens_revoked` (the bot's token was
 * revoked) delete that workspace's installation, so its tokens are no longer kept, and its user groups are forgotten.
 * Bolt delivers both events without authorising them (the token is gone) and acknowledges them itself.
 */
import type { App, Context } from '@slack/bolt';
import type { ListenerDeps } from '../index.js';

/** Register `app_uninstalled` and `tokens_revoked` (only when installations are kept: OAuth mode). */
export function registerAppUninstalled(app: App, { installations, permissions, logger }: ListenerDeps): void {
  if (!installations) return;
  const forget = async (context: Context, why: string): Promise<void> => {
    const query = {
      teamId: context.teamId,
      enterpriseId: context.enterpriseId,
      isEnterpriseInstall: context.isEnterpriseInstall === true,
    };
    try {
      await installations.deleteInstallation(query);
      const workspace = context.teamId ?? context.enterpriseId;
      if (workspace) permissions.forget(workspace);
      logger.debug(
        { team: context.teamId, enterprise: context.enterpriseId, why },
        'Forgot a workspace’s installation',
      );
    } catch (err) {
      logger.warn(
        { team: context.teamId, enterprise: context.enterpriseId, why, err: err instanceof Error ? err.message : err },
        'Could not delete a workspace’s installation; its tokens stay stored (Slack has revoked them)',
      );
    }
  };
  app.event('app_uninstalled', async ({ context }) => forget(context, 'app_uninstalled'));
  app.event('tokens_revoked', async ({ event, context }) => {
    // Only the bot's tokens matter: the install asks for no user scopes.
    if ((event.tokens.bot ?? []).length > 0) await forget(context, 'tokens_revoked');
  });
}
