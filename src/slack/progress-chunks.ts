/**
 * A run's progress as the tasks of a Slack plan (`task_update` chunks, `plan_update` for its title): one task per
 * stage, one per tool call as it finishes (with the SEC filings and news items it brought as sources), one per
 * section. Pure: the same state gives the same chunks, so a stream sends only the tasks that changed.
 */
import type { types } from '@slack/bolt';
import type { BundleKey, DataBundle, RunEvents } from '../research/types.js';
import { formatDuration, formatSeconds } from './blocks/format.js';
import type { ProgressState, StepStatus } from './progress-state.js';

/** A `task_update` chunk. */
export type TaskChunk = types.TaskUpdateChunk;
/** A source link of a task (`url` element: the address and the words shown). */
export type TaskSource = NonNullable<TaskChunk['sources']>[number];

/** Most sources shown under one task. */
export const MAX_TASK_SOURCES = 5;

/** What a tool call brought, as the stream shows it. */
export type ToolCallDone = Pick<RunEvents['toolCallFinished'], 'part' | 'cache' | 'ms' | 'error' | 'unavailable'> & {
  tool: string;
};

const PART_TITLE: Record<BundleKey, string> = {
  profile: 'Company profile',
  financialsAnnual: 'Annual statements (SEC filings)',
  financialsQuarterly: 'Quarterly statements (SEC filings)',
  prices: 'Daily prices',
  technicals: 'Technical indicators',
  analyst: 'Analyst ratings',
  news: 'News and 8-K filings',
  insider: 'Insider trades (SEC Form 4)',
};

const STATUS: Record<StepStatus | 'posted', TaskChunk['status']> = {
  pending: 'pending',
  running: 'in_progress',
  done: 'complete',
  posted: 'complete',
};

/** Cut `text` to `limit` characters with `…`. */
const cut = (text: string, limit: number) => (text.length <= limit ? text : `${text.slice(0, limit - 1)}…`);

/**
 * The SEC filings and news items a part of the bundle came from, as task sources: the statements' filing, each
 * news item or 8-K with an address (newest first). At most {@link MAX_TASK_SOURCES}.
 */
export function partSources(bundle: DataBundle | undefined, part: BundleKey): TaskSource[] {
  const entry = bundle?.[part];
  if (entry?.status !== 'ok') return [];
  const found: TaskSource[] = [];
  if (part === 'news' && bundle) {
    const news = bundle.news.status === 'ok' ? bundle.news.data.events : [];
    for (const e of news) if (e.url) found.push({ type: 'url', url: e.url, text: cut(`${e.date} · ${e.title}`, 80) });
  } else {
    const source = (entry.data as { source?: { url?: string; ref?: string; provider?: string } }).source;
    if (source?.url)
      found.push({ type: 'url', url: source.url, text: cut(source.ref ?? source.provider ?? 'source', 80) });
  }
  return found.slice(0, MAX_TASK_SOURCES);
}

/** What one finished tool call says about where its answer came from. */
function toolDetails(call: ToolCallDone): string {
  if (call.cache === 'error')
    return call.unavailable ? 'no data in the sources' : `failed: ${cut(call.error ?? 'unknown error', 120)}`;
  if (call.cache === 'hit') return 'from the cache';
  if (call.cache === 'coalesced') return 'shared with a call already in flight';
  return `fetched in ${formatDuration(call.ms)}`;
}

/** The title's elapsed time moves in steps of this many ms, so a quiet stretch still shows movement. */
export const TITLE_STEP_MS = 5000;

/**
 * The plan's title: `Researching NVDA · NVIDIA Corporation · 35 s` (elapsed in {@link TITLE_STEP_MS} steps while
 * it runs, `now` epoch ms), then the outcome.
 */
export function planTitle(state: ProgressState, now: number): string {
  const who = state.companyName ? `${state.ticker} · ${state.companyName}` : state.ticker;
  if (state.phase === 'finished') return `Research on ${who}: done`;
  if (state.phase === 'failed') return `Research on ${who}: stopped`;
  const elapsed = Math.floor((now - state.startedAtMs) / TITLE_STEP_MS) * TITLE_STEP_MS;
  return elapsed > 0 ? `Researching ${who} · ${formatSeconds(elapsed)}` : `Researching ${who}`;
}

/**
 * Every task of the plan for `state`, in the order they first appear: fetching the data (tools done of total), each
 * finished tool call, the analysts, each section. A failed run marks what was running as `error`.
 */
export function progressTasks(
  state: ProgressState,
  tools: readonly ToolCallDone[],
  bundle: DataBundle | undefined,
): TaskChunk[] {
  const failed = state.phase === 'failed';
  const status = (s: StepStatus | 'posted'): TaskChunk['status'] => (failed && s === 'running' ? 'error' : STATUS[s]);
  const prefetch = state.stages.prefetch;
  const total = state.tools.total > 0 ? `${state.tools.done}/${state.tools.total} tools` : 'planning the calls';
  const sources = [...partSources(bundle, 'financialsAnnual'), ...partSources(bundle, 'news')];
  const tasks: TaskChunk[] = [
    {
      type: 'task_update',
      id: 'fetch',
      title: 'Fetch SEC filings, prices, analyst ratings and news',
      status: status(prefetch.status),
      details: `${total}, ${state.tools.hits} from the cache`,
      ...(sources.length > 0 && prefetch.status === 'done' ? { sources: sources.slice(0, MAX_TASK_SOURCES) } : {}),
    },
  ];
  for (const call of tools) {
    const found = partSources(bundle, call.part);
    tasks.push({
      type: 'task_update',
      id: `tool-${call.part}`,
      title: `${PART_TITLE[call.part]} · ${call.tool}`,
      status: call.cache === 'error' && !call.unavailable ? 'error' : 'complete',
      details: toolDetails(call),
      ...(found.length > 0 ? { sources: found } : {}),
    });
  }
  const analysts = state.stages.analysts;
  if (analysts.status !== 'pending' || prefetch.status === 'done') {
    tasks.push({
      type: 'task_update',
      id: 'analysts',
      title: 'Analysts: fundamentals, technicals, news, risk',
      status: status(analysts.status),
      details: `${state.analystsDone}/4 done`,
    });
  }
  for (const section of state.sections) {
    if (section.status === 'pending' && state.stages.sections.status === 'pending') continue;
    tasks.push({
      type: 'task_update',
      id: `section-${section.id}`,
      title: `Write ${section.title}`,
      status: status(section.status),
      ...(section.status === 'posted' ? { details: 'in the thread' } : {}),
    });
  }
  return tasks;
}
