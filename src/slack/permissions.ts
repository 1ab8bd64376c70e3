/**
 * Who may do what on the desk (`ALLOWED_CHANNELS`, `ALLOWED_USERS`, `ADMIN_USERS`; an empty list lets everyone).
 * A check is in memory only and never waits on Slack: user-group members (`S…` ids) come from
 * `usergroups.users.list`, fetched in the background at start and every `refreshMs`; until a group's first answer
 * arrives its members are refused like anyone not listed. Refusals are counted with their time, logged (a warning
 * with the user, the channel and the reason) and handed to `onRefused` (the app stores them in the run log, so
 * `/perf` and `npm run perf` show them after a restart too, and counts them for Prometheus).
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import { classifySlackError } from './slack-errors.js';

/** The configured lists: Slack user ids (`U…`/`W…`), user-group ids (`S…`) and channel ids. Empty: everyone. */
export interface PermissionPolicy {
  /** Channels research may run in (`ALLOWED_CHANNELS`). */
  allowedChannels: readonly string[];
  /** Users and user groups who may run research (`ALLOWED_USERS`). */
  allowedUsers: readonly string[];
  /** Users and user groups who may use admin commands (`ADMIN_USERS`). */
  adminUsers: readonly string[];
}

/** What is being asked: a research run (command, mention, button) or an admin command. */
export type PermissionAction = 'research' | 'admin';

/** Why a request was refused. */
export type RefusalReason = 'user' | 'channel' | 'admin';

/** One refusal, as counted. */
export interface RefusalRecord {
  action: PermissionAction;
  reason: RefusalReason;
  user: string;
  channel: string;
  /** When, ISO 8601. */
  at: string;
  /** What was asked, in a few words (`/research-stock NVDA`, `/perf reset`, `mention`); unset when not said. */
  what?: string;
}

/** The refusals counted since start, for `/perf`. */
export interface RefusalSummary {
  count: number;
  byReason: Record<RefusalReason, number>;
  /** The latest refusal's time, ISO 8601; undefined when none. */
  lastAt: string | undefined;
  /** The latest refusal; undefined when none. */
  last?: RefusalRecord;
}

/** The refusal answered to a person: plain words naming who to ask. */
export interface Refusal {
  reason: RefusalReason;
  /** The private answer (Slack mrkdwn: `<@U…>` mentions of the admins). */
  text: string;
}

/** Lists the members of one user group (`usergroups.users.list`). */
export type GroupMembers = (group: string) => Promise<readonly string[]>;

const isGroup = (id: string) => id.startsWith('S');

/** Options of {@link Permissions}. */
export interface PermissionsOptions {
  logger: Logger;
  /** How often user-group members are fetched again, ms. @default 600000 (ten minutes) */
  refreshMs?: number;
  /** The clock refusals are stamped with. @default Date.now */
  now?: () => number;
  /** Told of each refusal, after it is counted (to store it); what it throws or rejects with is logged, never raised. */
  onRefused?: (refusal: RefusalRecord) => void | Promise<void>;
}

/** The permission policy of one app; see the module comment. */
export class Permissions {
  private readonly members = new Map<string, ReadonlySet<string>>();
  /** OAuth mode: how to list a group in each workspace seen, and which workspace answered for each group. */
  private readonly workspaces = new Map<string, GroupMembers>();
  private readonly owners = new Map<string, string>();
  private readonly refused: RefusalRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private first: Promise<void> = Promise.resolve();
  private readonly logger: Logger;
  private readonly refreshMs: number;
  private readonly now: () => number;
  private readonly onRefused: PermissionsOptions['onRefused'];

  constructor(
    private readonly policy: PermissionPolicy,
    options: PermissionsOptions,
  ) {
    this.logger = options.logger;
    this.refreshMs = options.refreshMs ?? 600_000;
    this.now = options.now ?? Date.now;
    this.onRefused = options.onRefused;
  }

  /** The user groups named in any list. */
  get groups(): string[] {
    return [...new Set([...this.policy.allowedUsers, ...this.policy.adminUsers].filter(isGroup))];
  }

  /**
   * May `user` do `action` in `channel`? In memory only: a refusal is counted, logged and handed to `onRefused`
   * without waiting for it. `what` names what was asked, for the record.
   * @returns undefined when allowed, else the refusal with its private answer.
   */
  check(action: PermissionAction, user: string, channel: string, what?: string): Refusal | undefined {
    const reason = this.reasonToRefuse(action, user, channel);
    if (!reason) return undefined;
    const record: RefusalRecord = {
      action,
      reason,
      user,
      channel,
      at: new Date(this.now()).toISOString(),
      ...(what ? { what } : {}),
    };
    this.refused.push(record);
    this.logger.warn({ action, reason, user, channel, what }, 'Refused by the permission policy');
    if (this.onRefused) {
      const told = this.onRefused;
      void Promise.resolve()
        .then(() => told(record))
        .catch((err: unknown) => this.logger.warn({ err }, 'could not store a permission refusal; it is counted here'));
    }
    return { reason, text: this.refusalText(reason) };
  }

  /**
   * Is `user` named in `ADMIN_USERS` (directly or as a fetched group member)? False when the list is empty: unlike
   * admin commands, cancelling someone else's run needs a named admin. In memory; nothing is counted.
   */
  isNamedAdmin(user: string): boolean {
    return this.listed(this.policy.adminUsers, user);
  }

  /** The refusals counted since start. */
  refusals(): RefusalSummary {
    const byReason: Record<RefusalReason, number> = { user: 0, channel: 0, admin: 0 };
    for (const r of this.refused) byReason[r.reason]++;
    const last = this.refused.at(-1);
    return { count: this.refused.length, byReason, lastAt: last?.at, ...(last ? { last } : {}) };
  }

  /**
   * Fetch every named group's members once; a group that fails keeps its last known members (logged, never
   * thrown).
   */
  async refresh(list: GroupMembers): Promise<void> {
    await Promise.all(
      this.groups.map(async (group) => {
        try {
          this.members.set(group, new Set(await list(group)));
        } catch (err) {
          this.logger.warn({ group, code: classifySlackError(err).code }, 'Could not list a user group’s members');
        }
      }),
    );
  }

  /**
   * Start refreshing user groups in the background with `client` (nothing when no group is named).
   * @returns the first refresh, for callers that want to wait for it (the app does not).
   */
  start(client: webApi.WebClient): Promise<void> {
    if (this.groups.length === 0) return Promise.resolve();
    const list: GroupMembers = async (usergroup) => (await client.usergroups.users.list({ usergroup })).users ?? [];
    this.timer = setInterval(() => void this.refresh(list), this.refreshMs);
    this.timer.unref();
    this.first = this.refresh(list);
    return this.first;
  }

  /**
   * OAuth mode (several workspaces): list the named groups with `client`, the bot client of `workspace`, in the
   * background. Called on every request; the first from a workspace starts a fetch, later ones only keep its newest
   * client (a reinstall's token). A group is then fetched in the workspace that answered for it; a workspace that
   * does not know a group (`no_such_subteam`) is no warning while another workspace may.
   */
  watch(workspace: string, client: webApi.WebClient): void {
    if (this.groups.length === 0) return;
    const known = this.workspaces.has(workspace);
    this.workspaces.set(
      workspace,
      async (usergroup) => (await client.usergroups.users.list({ usergroup })).users ?? [],
    );
    if (known) return;
    if (!this.timer) {
      this.timer = setInterval(() => void this.refreshWorkspaces(), this.refreshMs);
      this.timer.unref();
    }
    const fetched = this.refreshWorkspace(workspace);
    this.first = Promise.all([this.first, fetched]).then(() => undefined);
  }

  /** OAuth mode: `workspace` uninstalled the app; its groups' members are forgotten (refused until known again). */
  forget(workspace: string): void {
    this.workspaces.delete(workspace);
    for (const [group, owner] of this.owners) {
      if (owner !== workspace) continue;
      this.owners.delete(group);
      this.members.delete(group);
    }
  }

  private async refreshWorkspaces(): Promise<void> {
    for (const workspace of [...this.workspaces.keys()]) await this.refreshWorkspace(workspace);
  }

  private async refreshWorkspace(workspace: string): Promise<void> {
    const list = this.workspaces.get(workspace);
    if (!list) return;
    const mine = this.groups.filter((group) => (this.owners.get(group) ?? workspace) === workspace);
    await Promise.all(
      mine.map(async (group) => {
        try {
          this.members.set(group, new Set(await list(group)));
          this.owners.set(group, workspace);
        } catch (err) {
          const code = classifySlackError(err).code;
          const elsewhere = code === 'no_such_subteam' && !this.owners.has(group) && this.workspaces.size > 1;
          this.logger[elsewhere ? 'debug' : 'warn'](
            { group, workspace, code },
            'Could not list a user group’s members',
          );
        }
      }),
    );
  }

  /** Resolves when the first background refresh has ended (at once when none was started). Never rejects. */
  loaded(): Promise<void> {
    return this.first;
  }

  /** Stop the background refresh. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private listed(list: readonly string[], user: string): boolean {
    return list.some((id) => id === user || (isGroup(id) && this.members.get(id)?.has(user) === true));
  }

  private reasonToRefuse(action: PermissionAction, user: string, channel: string): RefusalReason | undefined {
    const p = this.policy;
    if (action === 'admin') return p.adminUsers.length === 0 || this.listed(p.adminUsers, user) ? undefined : 'admin';
    if (p.allowedUsers.length > 0 && !this.listed(p.allowedUsers, user)) return 'user';
    // Direct messages with the bot are no channel: ALLOWED_CHANNELS limits where reports are posted for others.
    if (p.allowedChannels.length > 0 && !channel.startsWith('D') && !p.allowedChannels.includes(channel))
      return 'channel';
    return undefined;
  }

  private refusalText(reason: RefusalReason): string {
    const admins = this.policy.adminUsers.map((id) => (isGroup(id) ? `<!subteam^${id}>` : `<@${id}>`));
    const whom = admins.length > 0 ? admins.join(', ') : 'whoever runs tickerdesk in this workspace';
    switch (reason) {
      case 'user':
        return `You are not on the list of people who may run research here. Ask ${whom} to add you.`;
      case 'channel': {
        const where = this.policy.allowedChannels.map((c) => `<#${c}>`).join(', ');
        return `Research is not enabled in this channel. Try ${where}, or ask ${whom} to add this channel.`;
      }
      case 'admin':
        return `Only admins may use this command. Ask ${whom} if you need it done.`;
    }
  }
}
