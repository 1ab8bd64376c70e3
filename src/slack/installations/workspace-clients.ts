/**
 * A Web API client for a workspace, for work that starts outside a Slack request (alerts to `ALERT_CHANNEL`, watchlist
 * digests, anything else posted on the app's own initiative): with one `SLACK_BOT_TOKEN` it is the app's client; in
 * OAuth mode it carries the bot token of that workspace's installation, read from the store when asked, so a
 * reinstall's new token is used and an uninstalled workspace gets none. Work that answers a request uses the
 * request's client.
 *
 * A workspace of an Enterprise Grid organisation where the app was installed org-wide has no installation of its own:
 * Bolt keeps the org-wide one under the enterprise (`isEnterpriseInstall`). When a team has none, the org-wide
 * installations are asked which workspaces they were approved for (`auth.teams.list`, Slack's list for org-wide
 * apps), and the team's client carries the token of the one that has it, with `team_id` on every call (Slack needs it
 * from an org-wide token to know the workspace). Each organisation's list is kept for {@link ORG_TEAMS_TTL_MS}.
 */
import { type Installation, type InstallationStore, webApi } from '@slack/bolt';

/** Clients by workspace. */
export interface WorkspaceClients {
  /**
   * The client of workspace `teamId` (`T…`; unknown: only the single-token mode has an answer).
   * @throws when the app is not installed there, neither in the workspace nor org-wide in an organisation approved
   * for it (OAuth mode), or the installations cannot be read.
   */
  forTeam(teamId: string | undefined): Promise<webApi.WebClient>;
}

/** The installation store as the clients read it: Bolt's, and its org-wide installations. */
export interface ClientInstallations extends InstallationStore {
  /** Every org-wide (Enterprise Grid) installation stored. */
  orgWideInstallations(): Promise<Installation<'v1' | 'v2', boolean>[]>;
}

/** How long an organisation's list of approved workspaces is used before it is asked again, ms. */
export const ORG_TEAMS_TTL_MS = 10 * 60_000;

/** Single-token mode: every workspace (there is one) is answered by `client`. */
export function singleTokenClients(client: webApi.WebClient): WorkspaceClients {
  return { forTeam: async () => client };
}

/** The workspaces an org-wide installation's token was approved for, as of `at` (epoch ms). */
interface OrgTeams {
  token: string;
  teams: Set<string>;
  at: number;
}

/**
 * OAuth mode: a client with the bot token of the team's installation in `store`, or of the org-wide installation
 * of an organisation approved for the team. Clients are kept per token and team.
 * @param options.now clock for the organisations' lists, epoch ms. @default Date.now
 */
export function installedClients(
  store: ClientInstallations,
  clientOptions: webApi.WebClientOptions,
  options: { now?: () => number } = {},
): WorkspaceClients {
  const now = options.now ?? Date.now;
  const clients = new Map<string, webApi.WebClient>();
  const orgTeams = new Map<string, OrgTeams>();

  /** The workspaces `token` (org-wide) may act in, from `auth.teams.list`, every page. */
  async function approvedTeams(token: string): Promise<Set<string>> {
    const client = new webApi.WebClient(token, clientOptions);
    const teams = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await client.auth.teams.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const team of page.teams ?? []) if (team.id) teams.add(team.id);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return teams;
  }

  /** The org-wide installation approved for `teamId`, or why none is. */
  async function orgWideFor(teamId: string): Promise<{ installation?: Installation; problems: string[] }> {
    const problems: string[] = [];
    for (const installation of await store.orgWideInstallations()) {
      const enterpriseId = installation.enterprise?.id;
      const token = installation.bot?.token;
      if (!enterpriseId || !token) continue;
      let known = orgTeams.get(enterpriseId);
      if (!known || known.token !== token || now() - known.at >= ORG_TEAMS_TTL_MS || !known.teams.has(teamId)) {
        try {
          known = { token, teams: await approvedTeams(token), at: now() };
          orgTeams.set(enterpriseId, known);
        } catch (err) {
          problems.push(`the org-wide installation of ${enterpriseId} could not list its workspaces (${message(err)})`);
          continue;
        }
      }
      if (known.teams.has(teamId)) return { installation, problems };
    }
    return { problems };
  }

  return {
    async forTeam(teamId) {
      if (!teamId) throw new Error('the workspace is not known, and tickerdesk is installed in several (OAuth mode)');
      let installation: Installation;
      try {
        installation = await store.fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
      } catch (err) {
        if ((err as Error).name !== 'InstallationNotFoundError') throw err;
        const org = await orgWideFor(teamId);
        if (!org.installation)
          throw new Error(
            `${message(err)}, nor org-wide in an organisation approved for it${org.problems.map((p) => `; ${p}`).join('')}`,
            { cause: err },
          );
        installation = org.installation;
      }
      const token = installation.bot?.token;
      if (!token) throw new Error(`the installation for team ${teamId} has no bot token`);
      const key = `${token}|${teamId}`;
      let client = clients.get(key);
      if (!client) {
        client = new webApi.WebClient(token, { ...clientOptions, teamId });
        clients.set(key, client);
      }
      return client;
    },
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
