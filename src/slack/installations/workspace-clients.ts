/**
 * A Web API client for a workspace, for work that starts outside a Slack request (alerts to `ALERT_CHANNEL`, and
 * anything else posted on the app's own initiative): with one `SLACK_BOT_TOKEN` it is the app's client; in OAuth
 * mode it carries the bot token of that workspace's installation, read from the store when asked, so a reinstall's
 * new token is used and an uninstalled workspace gets none. Work that answers a request uses the request's client.
 */
import { type InstallationStore, webApi } from '@slack/bolt';

/** Clients by workspace. */
export interface WorkspaceClients {
  /**
   * The client of workspace `teamId` (`T…`; unknown: only the single-token mode has an answer).
   * @throws when the app is not installed there (OAuth mode), or the installation cannot be read.
   */
  forTeam(teamId: string | undefined): Promise<webApi.WebClient>;
}

/** Single-token mode: every workspace (there is one) is answered by `client`. */
export function singleTokenClients(client: webApi.WebClient): WorkspaceClients {
  return { forTeam: async () => client };
}

/**
 * OAuth mode: a client with the bot token of the team's installation in `store` (an org-wide installation is not
 * found by team: such work names the team it posts in). Clients are kept per token.
 */
export function installedClients(store: InstallationStore, options: webApi.WebClientOptions): WorkspaceClients {
  const clients = new Map<string, webApi.WebClient>();
  return {
    async forTeam(teamId) {
      if (!teamId) throw new Error('the workspace is not known, and tickerdesk is installed in several (OAuth mode)');
      const installation = await store.fetchInstallation({
        teamId,
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      });
      const token = installation.bot?.token;
      if (!token) throw new Error(`the installation of team ${teamId} has no bot token`);
      let client = clients.get(token);
      if (!client) {
        client = new webApi.WebClient(token, { ...options, teamId });
        clients.set(token, client);
      }
      return client;
    },
  };
}
