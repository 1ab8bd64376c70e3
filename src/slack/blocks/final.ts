/**
 * The parent message at the end of a run: the verdict line, total time, time to first section and the cache
 * figures; or, for a failed run, what failed in plain words. Pure.
 */
import type { types } from '@slack/bolt';
import { providerName } from '../../mcp-server/providers/names.js';
import { dataSources } from '../../report/data-sources.js';
import type { RunResult } from '../../research/types.js';
import { verdictInWords } from '../../research/verdict.js';
import type { ProgressState } from '../progress-state.js';
import { CANCEL_REASON } from '../run-registry.js';
import { clip, contextLine, escapeMrkdwn, formatDuration, mrkdwnSection, type SlackMessage } from './format.js';
import { titleLine } from './progress.js';

/** `9 tools: 6 cached, 3 called` (plus shared in-flight, failed and data-unavailable calls when there were any). */
export function toolsPhrase(tools: RunResult['tools']): string {
  const extra = [
    tools.coalesced > 0 ? `${tools.coalesced} shared` : '',
    tools.errors > 0 ? `${tools.errors} failed` : '',
    (tools.unavailable ?? 0) > 0 ? `${tools.unavailable} without data` : '',
  ].filter(Boolean);
  return `${tools.total} tools: ${tools.hits} cached, ${tools.misses} called${extra.length ? `, ${extra.join(', ')}` : ''}`;
}

/**
 * Why a finished run's report is partial, in words, or undefined when it is not: a degraded run, or one where at
 * least half of the data calls brought nothing (no data, or failed), e.g. `7 of 8 data sources had nothing for CRM`.
 */
export function partialReport(result: RunResult): string | undefined {
  const t = result.tools;
  const empty = (t.unavailable ?? 0) + t.errors;
  const mostlyEmpty = t.total > 0 && empty * 2 >= t.total;
  if (result.outcome !== 'degraded' && !mostlyEmpty) return undefined;
  if (empty > 0) return `${empty} of ${t.total} data sources had nothing for ${result.ticker}`;
  return 'written without everything';
}

const RATING_ICON = { buy: ':large_green_circle:', hold: ':large_yellow_circle:', sell: ':red_circle:' } as const;

/** ` · prices as of 2026-12-04 (Yahoo Finance)`: the as-of date shown next to the verdict, or '' without prices. */
function pricesAsOfPhrase(sources: ReturnType<typeof dataSources>): string {
  const prices = sources.lines.find((l) => l.kind === 'Prices');
  if (!sources.pricesAsOf) return '';
  const from = prices?.provider ? ` (${prices.live ? providerName(prices.provider) : 'bundled snapshot'})` : '';
  return ` · _prices as of ${sources.pricesAsOf}${from}_`;
}

/** The finished parent: verdict, timings, cache figures; a plain warning when the run was degraded. */
export function finalMessage(result: RunResult, requester?: string): SlackMessage {
  const title = titleLine({
    ticker: result.ticker,
    ...(result.companyName ? { companyName: result.companyName } : {}),
  });
  const sources = dataSources(result.bundle, new Date(result.startedAt));
  const asOf = pricesAsOfPhrase(sources);
  // The confidence in the same words as the thread ("high confidence"), with its number.
  const line = verdictInWords(result.verdict);
  const verdict = `${RATING_ICON[result.verdict.rating]} *Verdict:* ${escapeMrkdwn(line)}${asOf}`;
  const figures = [
    `Done in ${formatDuration(result.durationMs)}`,
    `first section after ${formatDuration(result.firstSectionMs)}`,
    toolsPhrase(result.tools),
  ];
  if (result.usage.costUsd > 0) figures.push(`LLM cost $${result.usage.costUsd.toFixed(4)}`);
  const asked = requester ? ` — asked by <@${requester}>` : '';
  const blocks: types.KnownBlock[] = [mrkdwnSection(`:bar_chart: Research on ${title}${asked}`)];
  const partial = partialReport(result);
  if (partial) {
    // Said at the top, before the verdict it qualifies.
    const list = result.problems.slice(0, 10).map((p) => `• ${escapeMrkdwn(p)}`);
    if (result.problems.length > 10) list.push(`• …and ${result.problems.length - 10} more`);
    const detail = list.length > 0 ? `:\n${list.join('\n')}` : '.';
    blocks.push(mrkdwnSection(clip(`:warning: *Partial report* — ${escapeMrkdwn(partial)}${detail}`, 3000)));
  }
  blocks.push(mrkdwnSection(verdict), contextLine(`${figures.join(' · ')} · full report in the thread :thread:`));
  if (sources.headlines.length > 0) {
    blocks.push(contextLine(clip(`:information_source: ${escapeMrkdwn(sources.headlines.join(' '))}`, 2900)));
  }
  if (sources.lines.length > 0) {
    blocks.push(contextLine(clip(escapeMrkdwn(sources.lines.map((l) => l.text).join('\n')), 2900)));
  }
  const text = `${result.ticker}: ${partial ? 'partial report, ' : ''}${line} (${figures.join(', ')})`;
  return { text: clip(text), blocks };
}

/**
 * A shorter last state of the parent, for when Slack refused the full one (`msg_too_long`, repeated faults): the
 * title and the verdict in one block.
 */
export function shortFinalMessage(result: RunResult, requester?: string): SlackMessage {
  const title = titleLine({
    ticker: result.ticker,
    ...(result.companyName ? { companyName: result.companyName } : {}),
  });
  const asked = requester ? ` — asked by <@${requester}>` : '';
  return {
    text: clip(`${result.ticker}: ${verdictInWords(result.verdict)}`),
    blocks: [
      mrkdwnSection(
        clip(
          `:bar_chart: ${title}${asked}\n*Verdict:* ${escapeMrkdwn(verdictInWords(result.verdict))} · report in the thread`,
          3000,
        ),
      ),
    ],
  };
}

/** The closing thread reply of a run whose parent could not show the outcome (plain text, one line). */
export function closingReply(result: RunResult): string {
  return clip(
    `${result.ticker} research done — verdict: ${verdictInWords(result.verdict)}. The message above could not be updated.`,
  );
}

/** The parent of a failed run: what failed, how long it ran, and that what was posted stays. */
export function failedMessage(state: ProgressState, now: number): SlackMessage {
  if (state.cancelled) return cancelledMessage(state, now);
  const reason = state.failure ?? 'the run stopped for an unknown reason';
  const kept = keptLine(state, 'Nothing was written yet.');
  const ran = formatDuration((state.endedAtMs ?? now) - state.startedAtMs);
  return {
    text: clip(`Research on ${state.ticker} failed: ${reason}`),
    blocks: [
      mrkdwnSection(`:x: Research on ${titleLine(state)} failed after ${ran}.`),
      mrkdwnSection(clip(escapeMrkdwn(reason), 3000)),
      contextLine(`${kept} Try again with \`/research-stock ${state.ticker}\`.`),
    ],
  };
}

/** A shorter last state of a failed run's parent: what failed, in one block. */
export function shortFailedMessage(state: ProgressState, now: number): SlackMessage {
  if (state.cancelled) {
    const full = cancelledMessage(state, now);
    return { text: full.text, blocks: full.blocks.slice(0, 1) };
  }
  const ran = formatDuration((state.endedAtMs ?? now) - state.startedAtMs);
  const reason = clip(state.failure ?? 'the run stopped for an unknown reason', 500);
  return {
    text: clip(`Research on ${state.ticker} failed: ${reason}`),
    blocks: [mrkdwnSection(`:x: Research on ${titleLine(state)} failed after ${ran}: ${escapeMrkdwn(reason)}`)],
  };
}

/**
 * Why a cancelled run stopped, in words for its parent, or `undefined` when the thread already says it: a Cancel
 * pressed in Slack (or Slack's Stop) is answered in the thread by who pressed it.
 */
function cancelReason(state: ProgressState): string | undefined {
  const reason = state.cancelReason?.trim();
  return reason && reason !== CANCEL_REASON ? reason : undefined;
}

/**
 * The parent of a cancelled run: that it was cancelled (not failed), after how long, why when the thread does not
 * already say it, and that what was posted stays.
 */
function cancelledMessage(state: ProgressState, now: number): SlackMessage {
  const kept = keptLine(state, 'Nothing was written.');
  const ran = formatDuration((state.endedAtMs ?? now) - state.startedAtMs);
  const reason = cancelReason(state);
  return {
    text: clip(`Research on ${state.ticker} was cancelled${reason ? `: ${reason}` : ''}`),
    blocks: [
      mrkdwnSection(
        clip(
          `:octagonal_sign: Research on ${titleLine(state)} was cancelled after ${ran}${reason ? `: ${escapeMrkdwn(reason)}` : '.'}`,
          3000,
        ),
      ),
      contextLine(`${kept} Start it again with \`/research-stock ${state.ticker}\`.`),
    ],
  };
}

/** What a run that stopped early leaves in its thread: the sections already posted, or `none` when there are none. */
function keptLine(state: ProgressState, none: string): string {
  const posted = state.sections.filter((s) => s.status === 'posted').length;
  return posted > 0 ? `The ${posted} section${posted === 1 ? '' : 's'} already written stay in the thread.` : none;
}
