/**
 * Compare with… on a finished report: ack → the picked peer is compared with the report's company in its thread,
 * as the follow-up question "compare with TICKER" (`src/conversation/`: the run's data, the peer's fetched through
 * the gateway — from the cache when smart prefetch got it — a side-by-side table). Without the conversation service,
 * or for a stale or foreign report: a private, plain answer.
 */
import type { App, BlockAction } from '@slack/bolt';
import { RUN_ACTIONS } from '../../blocks/run-actions.js';
import type { ListenerDeps } from '../index.js';
import { mayResearchFromPress, readPress, runOfPress } from './run-button.js';

/** The value of a peer option: `runId|TICKER`. */
export function parseCompareValue(raw: string): { runId: string; peer: string } | undefined {
  const cut = raw.lastIndexOf('|');
  if (cut <= 0 || cut === raw.length - 1) return undefined;
  return { runId: raw.slice(0, cut), peer: raw.slice(cut + 1) };
}

/** Register the Compare with… picker. */
export function registerComparePeer(app: App, { registry, permissions, followUps, logger }: ListenerDeps): void {
  app.action<BlockAction>(RUN_ACTIONS.compare, async ({ ack, body, client, respond }) => {
    await ack();
    const press = readPress(body, client, respond, logger);
    const picked = parseCompareValue(press.value);
    const run = await runOfPress(registry, picked?.runId ?? '', press);
    if (!run || !picked || !(await mayResearchFromPress(permissions, run, press))) return;
    if (!followUps) {
      await press.note(`Comparisons are not available here. Ask \`/research-stock ${picked.peer}\` for its report.`);
      return;
    }
    const actionTs = (body.actions[0] as { action_ts?: string } | undefined)?.action_ts ?? `${Date.now() / 1000}`;
    logger.info({ runId: run.runId, ticker: run.ticker, peer: picked.peer, user: press.user }, 'Compare with… picked');
    await followUps.answer(
      {
        channel: run.channel,
        threadTs: run.ts,
        ts: actionTs,
        user: press.user,
        text: `compare with ${picked.peer}`,
        eventId: `compare:${press.triggerId}`,
        ...(press.teamId ? { teamId: press.teamId } : {}),
      },
      client,
    );
  });
}
