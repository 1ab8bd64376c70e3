/**
 * What the parent message shows, folded from a run's events. Pure: {@link applyRunEvent} returns a new state and
 * never touches Slack, so the Block Kit builders and the thread writer can be tested apart.
 */
import { ErrorCode, RunCancelledError } from '../errors.js';
import type { Eta, RunEvents, RunResult, SectionId, Stage } from '../research/types.js';
import { SECTIONS, STAGES } from '../research/types.js';

/** Status of one checklist line. */
export type StepStatus = 'pending' | 'running' | 'done';

/** The parent message's state. Times are epoch ms; durations ms. */
export interface ProgressState {
  ticker: string;
  companyName?: string;
  /** Slack user id of the person who asked. */
  requester?: string;
  /** When the request was accepted (epoch ms); elapsed counts from here. */
  startedAtMs: number;
  phase: 'starting' | 'running' | 'finished' | 'failed';
  stages: Record<Stage, { status: StepStatus; ms?: number }>;
  tools: { done: number; total: number; hits: number; misses: number; coalesced: number; errors: number };
  analystsDone: number;
  sections: { id: SectionId; title: string; status: StepStatus | 'posted' }[];
  eta: Eta | null;
  result?: RunResult;
  /** Plain-words reason of a failed run. */
  failure?: string;
  /**
   * The run stopped because it was cancelled (Cancel, Slack's Stop, a channel gone): `failure` then says why, and
   * the parent reads "cancelled", not "failed".
   */
  cancelled?: boolean;
  /** Why a cancelled run was cancelled ({@link RunCancelledError.reason}); absent when nobody said. */
  cancelReason?: string;
  /** Epoch ms when the run ended (finished or failed). */
  endedAtMs?: number;
}

/** A fresh state for `ticker`, before any event. */
export function initialProgress(ticker: string, startedAtMs: number, requester?: string): ProgressState {
  const stages = Object.fromEntries(STAGES.map((s) => [s, { status: 'pending' }])) as ProgressState['stages'];
  return {
    ticker,
    ...(requester === undefined ? {} : { requester }),
    startedAtMs,
    phase: 'starting',
    stages,
    tools: { done: 0, total: 0, hits: 0, misses: 0, coalesced: 0, errors: 0 },
    analystsDone: 0,
    sections: SECTIONS.map((s) => ({ id: s.id, title: s.title, status: 'pending' })),
    eta: null,
  };
}

/** One event of a run, tagged with its name. */
export type TaggedRunEvent = { [K in keyof RunEvents]: { type: K; payload: RunEvents[K] } }[keyof RunEvents];

/** Fold one run event into the state (returns a new object; `now` is epoch ms). */
export function applyRunEvent(state: ProgressState, event: TaggedRunEvent, now: number): ProgressState {
  const s: ProgressState = { ...state, stages: { ...state.stages }, tools: { ...state.tools } };
  switch (event.type) {
    case 'runStarted':
      s.phase = 'running';
      s.tools.total = event.payload.toolsTotal;
      s.eta = event.payload.eta;
      break;
    case 'stageStarted':
      s.phase = 'running';
      s.stages[event.payload.stage] = { status: 'running' };
      break;
    case 'stageFinished':
      s.stages[event.payload.stage] = { status: 'done', ms: event.payload.ms };
      break;
    case 'toolCallFinished': {
      const p = event.payload;
      s.tools.done = Math.max(s.tools.done, p.done);
      s.tools.total = p.total;
      if (p.cache === 'hit') s.tools.hits++;
      else if (p.cache === 'miss') s.tools.misses++;
      else if (p.cache === 'coalesced') s.tools.coalesced++;
      else s.tools.errors++;
      break;
    }
    case 'companyIdentified':
      s.companyName = event.payload.name;
      break;
    case 'analystFinished':
      s.analystsDone = state.analystsDone + 1;
      break;
    case 'sectionStarted':
    case 'sectionDelta':
      s.sections = state.sections.map((x) =>
        x.id === event.payload.section && x.status === 'pending' ? { ...x, status: 'running' } : x,
      );
      break;
    case 'sectionReady':
      s.sections = state.sections.map((x) => (x.id === event.payload.section.id ? { ...x, status: 'done' } : x));
      break;
    case 'runFinished':
      s.phase = 'finished';
      s.result = event.payload.result;
      if (event.payload.result.companyName) s.companyName = event.payload.result.companyName;
      for (const stage of STAGES) {
        s.stages[stage] = { status: 'done', ms: event.payload.result.stageMs[stage] };
      }
      s.endedAtMs = now;
      break;
    case 'runFailed':
      s.phase = 'failed';
      s.failure = event.payload.error.message;
      s.cancelled = event.payload.error.code === ErrorCode.Cancelled;
      if (event.payload.error instanceof RunCancelledError && event.payload.error.reason !== undefined) {
        s.cancelReason = event.payload.error.reason;
      }
      s.endedAtMs = now;
      break;
  }
  return s;
}

/** Mark section `id` as posted in the thread. */
export function markSectionPosted(state: ProgressState, id: SectionId): ProgressState {
  return { ...state, sections: state.sections.map((x) => (x.id === id ? { ...x, status: 'posted' } : x)) };
}
