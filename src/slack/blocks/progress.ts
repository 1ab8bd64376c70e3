/**
 * The parent message while a run works: title, a checklist of stages, and a line with tools done of total,
 * elapsed time and the ETA. Pure; `now` is passed in so the output depends only on its inputs.
 */
import { ANALYSTS, type Stage } from '../../research/types.js';
import type { ProgressState, StepStatus } from '../progress-state.js';
import {
  clip,
  contextLine,
  escapeMrkdwn,
  formatDuration,
  formatSeconds,
  mrkdwnSection,
  type SlackMessage,
} from './format.js';

const ICON: Record<StepStatus | 'posted', string> = {
  pending: ':white_small_square:',
  running: ':hourglass_flowing_sand:',
  done: ':white_check_mark:',
  posted: ':white_check_mark:',
};

const STAGE_LABEL: Record<Stage, string> = {
  prefetch: 'Fetch data',
  analysts: 'Analysts',
  sections: 'Write sections',
};

/** `*NVDA* · NVIDIA Corporation`. */
export function titleLine(state: Pick<ProgressState, 'ticker' | 'companyName'>): string {
  return state.companyName
    ? `*${escapeMrkdwn(state.ticker)}* · ${escapeMrkdwn(state.companyName)}`
    : `*${escapeMrkdwn(state.ticker)}*`;
}

function stageLine(state: ProgressState, stage: Stage): string {
  const { status, ms } = state.stages[stage];
  let detail = '';
  if (stage === 'prefetch' && state.tools.total > 0) detail = ` (${state.tools.done}/${state.tools.total} tools)`;
  if (stage === 'analysts' && status !== 'pending') detail = ` (${state.analystsDone}/${ANALYSTS.length})`;
  if (stage === 'sections' && status !== 'pending') {
    const done = state.sections.filter((s) => s.status === 'done' || s.status === 'posted').length;
    const writing = state.sections.find((s) => s.status === 'running');
    detail = ` (${done}/${state.sections.length}${writing ? `, writing ${writing.title}` : ''})`;
  }
  const took = status === 'done' && ms !== undefined ? ` · ${formatDuration(ms)}` : '';
  return `${ICON[status]} ${STAGE_LABEL[stage]}${detail}${took}`;
}

/**
 * The ETA phrase: `about 6 s left (median of 8 warm runs)`, or why there is none. Before `runStarted` the
 * estimate is not known yet (the parent is posted before the run starts), so it does not claim a first run.
 */
export function etaPhrase(state: ProgressState, now: number): string {
  if (!state.eta) return state.phase === 'starting' ? 'estimating the ETA…' : 'no ETA yet (no finished run to go by)';
  const left = state.eta.totalMs - (now - state.startedAtMs);
  const basis = `median of ${state.eta.basedOn} ${state.eta.kind} run${state.eta.basedOn === 1 ? '' : 's'}`;
  if (left > 0) return `about ${formatSeconds(left + 999)} left (${basis})`;
  // Past the estimate by less than a second (a warm median of a few ms) is on time, not late.
  const late = -left >= Math.max(1000, state.eta.totalMs * 0.25);
  return late ? `taking longer than usual (${basis})` : `almost done (${basis})`;
}

/** The live parent message: checklist, `Tools n/m · elapsed · ETA`. */
export function progressMessage(state: ProgressState, now: number): SlackMessage {
  const elapsed = formatSeconds(now - state.startedAtMs);
  const requested = state.requester ? ` — asked by <@${state.requester}>` : '';
  const checklist = (['prefetch', 'analysts', 'sections'] as const).map((s) => stageLine(state, s)).join('\n');
  const tools = state.tools.total > 0 ? `Tools ${state.tools.done}/${state.tools.total}` : 'Tools —';
  const status = `${tools} · elapsed ${elapsed} · ${etaPhrase(state, now)}`;
  return {
    text: clip(`Researching ${state.ticker}… ${status}`),
    blocks: [
      mrkdwnSection(`:mag: Researching ${titleLine(state)}${requested}`),
      mrkdwnSection(checklist),
      contextLine(status),
    ],
  };
}
