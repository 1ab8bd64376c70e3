/**
 * The buttons on a report: Cancel on the parent while the run works; Refresh, Compare with… (a peer picker) and
 * Report file on the finished parent; feedback buttons (thumbs up / down) under LLM-written text. Each carries the
 * run id in its `value`, so the action finds its run (see `run-registry.ts`). Pure.
 */
import type { types } from '@slack/bolt';
import { MAX_BLOCKS, type SlackMessage } from './format.js';

/** `action_id`s of the report buttons, matched by the listeners in `listeners/actions/`. */
export const RUN_ACTIONS = {
  cancel: 'run_cancel',
  refresh: 'run_refresh',
  compare: 'run_compare',
  reportFile: 'run_report_file',
  feedback: 'run_feedback',
} as const;

/** A peer offered by Compare with…: ticker and company name. */
export interface PeerOption {
  ticker: string;
  name?: string;
}

/** Most peers a picker lists (as many as `get_peers` answers; Slack allows 100 options). */
export const MAX_PEER_OPTIONS = 10;

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });

/** The Cancel button block of a run in progress. */
export function cancelActions(runId: string): types.ActionsBlock {
  return {
    type: 'actions',
    block_id: `run_progress:${runId}`,
    elements: [
      {
        type: 'button',
        action_id: RUN_ACTIONS.cancel,
        text: plain('Cancel'),
        value: runId,
        style: 'danger',
        accessibility_label: 'Cancel this research run',
      },
    ],
  };
}

/** `NVDA · Nvidia` as a select option label (at most 75 characters, Slack's limit). */
function peerLabel(peer: PeerOption): string {
  const label = peer.name ? `${peer.ticker} · ${peer.name}` : peer.ticker;
  return label.length <= 75 ? label : `${label.slice(0, 74)}…`;
}

/**
 * The buttons of a finished report: Refresh (a fresh run), Compare with… (when `peers` has any: a select of peers
 * from the same GICS sub-industry, value `runId|TICKER`) and Report file.
 */
export function finishedActions(runId: string, peers: readonly PeerOption[] = []): types.ActionsBlock {
  const elements: types.ActionsBlockElement[] = [
    {
      type: 'button',
      action_id: RUN_ACTIONS.refresh,
      text: plain(':arrows_counterclockwise: Refresh'),
      value: runId,
      accessibility_label: 'Research this ticker again with fresh data',
    },
  ];
  if (peers.length > 0) {
    elements.push({
      type: 'static_select',
      action_id: RUN_ACTIONS.compare,
      placeholder: plain('Compare with…'),
      options: peers.slice(0, MAX_PEER_OPTIONS).map((peer) => ({
        text: plain(peerLabel(peer)),
        value: `${runId}|${peer.ticker}`,
      })),
    });
  }
  elements.push({
    type: 'button',
    action_id: RUN_ACTIONS.reportFile,
    text: plain(':page_facing_up: Report file'),
    value: runId,
    accessibility_label: 'Upload the report as a Markdown file in the thread',
  });
  return { type: 'actions', block_id: `run_finished:${runId}`, elements };
}

/** What a feedback button is about: a report section (`section:<id>`) or an answer (`answer:<ts>`). */
export type FeedbackTarget = `section:${string}` | `answer:${string}`;

/** The value a feedback button sends: `up|down`, the run id and the target, split by `|`. */
export interface FeedbackValue {
  vote: 'up' | 'down';
  runId: string;
  target: FeedbackTarget;
}

/** Encode a {@link FeedbackValue} as a button value. */
export function feedbackValue(value: FeedbackValue): string {
  return `${value.vote}|${value.runId}|${value.target}`;
}

/** Decode a feedback button's value; undefined when it is not one of ours. */
export function parseFeedbackValue(raw: string | undefined): FeedbackValue | undefined {
  const [vote, runId, target, ...rest] = (raw ?? '').split('|');
  if (rest.length > 0 || (vote !== 'up' && vote !== 'down') || !runId || !target) return undefined;
  if (!target.startsWith('section:') && !target.startsWith('answer:')) return undefined;
  return { vote, runId, target: target as FeedbackTarget };
}

/**
 * `messages` (one section's replies) with `block` added at the end: to the last message when it has room (50
 * blocks), else as one more message with the same notification text. The messages' `legacy` renderings are left as
 * they are (a surface that refuses the new blocks gets the text without the block).
 */
export function withTrailingBlock(messages: readonly SlackMessage[], block: types.KnownBlock): SlackMessage[] {
  const out = messages.map((m) => ({ ...m, blocks: [...m.blocks] }));
  const last = out.at(-1);
  if (!last) return out;
  if (last.blocks.length < MAX_BLOCKS) last.blocks.push(block);
  else out.push({ text: last.text, blocks: [block] });
  return out;
}

/**
 * Thumbs up / down under LLM-written text (`context_actions` with a `feedback_buttons` element): a thumbs-up is
 * recorded, a thumbs-down opens a short form asking what was wrong.
 */
export function feedbackBlock(runId: string, target: FeedbackTarget): types.ContextActionsBlock {
  return {
    type: 'context_actions',
    block_id: `feedback:${runId}:${target}`.slice(0, 255),
    elements: [
      {
        type: 'feedback_buttons',
        action_id: RUN_ACTIONS.feedback,
        positive_button: {
          text: plain('👍'),
          value: feedbackValue({ vote: 'up', runId, target }),
          accessibility_label: 'This was useful',
        },
        negative_button: {
          text: plain('👎'),
          value: feedbackValue({ vote: 'down', runId, target }),
          accessibility_label: 'Something was wrong',
        },
      },
    ],
  };
}
