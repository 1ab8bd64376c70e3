/**
 * The permission policy on its own (issue 15, part 6): empty lists let everyone; admin commands follow ADMIN_USERS
 * (users and groups); a group's members are refused until its members have been fetched, never waited for; a failed
 * fetch keeps the members known before; refusals are counted with their time.
 */
import { describe, expect, it } from 'vitest';
import { logger } from '../../src/log.js';
import { type PermissionPolicy, Permissions } from '../../src/slack/permissions.js';

const policy = (p: Partial<PermissionPolicy>): PermissionPolicy => ({
  allowedChannels: [],
  allowedUsers: [],
  adminUsers: [],
  ...p,
});
const at = Date.UTC(2026, 11, 7, 21, 0, 0);

describe('Permissions', () => {
  it('empty lists: everyone may research anywhere and use admin commands; nothing is counted', () => {
    const p = new Permissions(policy({}), { logger });
    expect(p.check('research', 'U0ANY', 'C0ANY')).toBeUndefined();
    expect(p.check('admin', 'U0ANY', 'C0ANY')).toBeUndefined();
    expect(p.isNamedAdmin('U0ANY')).toBe(false);
    expect(p.refusals()).toEqual({ count: 0, byReason: { user: 0, channel: 0, admin: 0 }, lastAt: undefined });
  });

  it('admin commands: only ADMIN_USERS (a user or a fetched group member); the refusal names the admins', async () => {
    const p = new Permissions(policy({ adminUsers: ['U0BOSS', 'S0OPS'] }), { logger, now: () => at });
    expect(p.check('admin', 'U0OPS', 'C0ANY')?.reason).toBe('admin');
    await p.refresh(async (group) => (group === 'S0OPS' ? ['U0OPS'] : []));
    expect(p.check('admin', 'U0OPS', 'C0ANY')).toBeUndefined();
    expect(p.isNamedAdmin('U0OPS')).toBe(true);
    expect(p.check('admin', 'U0BOSS', 'C0ANY')).toBeUndefined();
    expect(p.check('admin', 'U0OTHER', 'C0ANY')?.text).toBe(
      'Only admins may use this command. Ask <@U0BOSS>, <!subteam^S0OPS> if you need it done.',
    );
    expect(p.refusals()).toEqual({
      count: 2,
      byReason: { user: 0, channel: 0, admin: 2 },
      lastAt: '2026-12-07T21:00:00.000Z',
      last: { action: 'admin', reason: 'admin', user: 'U0OTHER', channel: 'C0ANY', at: '2026-12-07T21:00:00.000Z' },
    });
  });

  it('a failed group fetch keeps the members known before; direct messages pass ALLOWED_CHANNELS', async () => {
    const p = new Permissions(policy({ allowedUsers: ['S0DESK'], allowedChannels: ['C0DESK'] }), { logger });
    await p.refresh(async () => ['U0MEMBER']);
    await p.refresh(async () => {
      throw new Error('ratelimited');
    });
    expect(p.check('research', 'U0MEMBER', 'C0DESK')).toBeUndefined();
    expect(p.check('research', 'U0MEMBER', 'D0BOTDM')).toBeUndefined();
    expect(p.check('research', 'U0MEMBER', 'C0OTHER')?.reason).toBe('channel');
    expect(p.check('research', 'U0OTHER', 'C0DESK')?.text).toBe(
      'You are not on the list of people who may run research here. Ask whoever runs tickerdesk in this workspace to add you.',
    );
  });
});
