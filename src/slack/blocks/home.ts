/**
 * The App Home tab (`views.publish`): the person's recent reports with links, the most-researched tickers of the
 * channels they research in, and the headline `/perf` figures, in the words `/perf` uses. Pure.
 */
import type { types } from '@slack/bolt';
import { feedbackLine } from '../../metrics/feedback.js';
import { FIGURE_NAMES, formatRate } from '../../metrics/format.js';
import type { HomeData, HomeReport } from '../app-home.js';
import { clip, contextLine, escapeMrkdwn, formatDuration, mrkdwnSection, slackTime } from './format.js';

const OUTCOME_WORDS: Record<HomeReport['outcome'], string> = {
  running: 'running',
  ok: 'done',
  degraded: 'partial',
  failed: 'failed',
  rejected: 'refused',
  cancelled: 'cancelled',
  abandoned: 'stopped',
};

const when = slackTime;

function reportLine(r: HomeReport): string {
  const name = r.permalink ? `<${r.permalink}|*${escapeMrkdwn(r.ticker)}*>` : `*${escapeMrkdwn(r.ticker)}*`;
  const where = r.channel ? ` in <#${r.channel}>` : '';
  return `• ${name} — ${OUTCOME_WORDS[r.outcome]}, ${when(r.startedAt)}${where}`;
}

/** Channels named up to this many; more read "the N channels you research in". */
const CHANNELS_NAMED = 3;

/** `<#C1>`, `<#C1> and <#C2>`, `<#C1>, <#C2> and <#C3>`, or `the 5 channels you research in`. */
function channelsWords(ids: readonly string[]): string {
  if (ids.length > CHANNELS_NAMED) return `the ${ids.length} channels you research in`;
  const named = ids.map((id) => `<#${id}>`);
  return named.length <= 1 ? (named[0] ?? '') : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

/** The Home tab view for `data`. */
export function homeView(data: HomeData): types.HomeView {
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'tickerdesk', emoji: true } },
    mrkdwnSection('Type `/research-stock NVDA` in a channel (or write a ticker here, in Messages) for a report.'),
    { type: 'divider' },
  ];
  blocks.push(
    mrkdwnSection(
      data.reports.length > 0
        ? clip(`*Your recent reports*\n${data.reports.map(reportLine).join('\n')}`, 3000)
        : '*Your recent reports*\nNone yet.',
    ),
  );
  if (data.channels && data.channels.tickers.length > 0) {
    const list = data.channels.tickers.map((t) => `${escapeMrkdwn(t.ticker)} (${t.runs})`).join(' · ');
    blocks.push(mrkdwnSection(`*Most researched in ${channelsWords(data.channels.ids)}*\n${list}`));
  }
  const p = data.perf;
  const rate = p.cacheHitRate === null ? '—' : formatRate(p.cacheHitRate);
  const median = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
  blocks.push(
    { type: 'divider' },
    mrkdwnSection(
      `*The desk* — ${p.runs} run${p.runs === 1 ? '' : 's'} · ${FIGURE_NAMES.duration.toLowerCase()} ${median(p.p50DurationMs)}, ${FIGURE_NAMES.firstSection.toLowerCase()} ${median(p.p50FirstSectionMs)} (medians) · cache hit rate ${rate} · ${p.callsSaved} calls saved`,
    ),
    contextLine(escapeMrkdwn(feedbackLine(p.feedback, { up: ':+1:', down: ':-1:' }))),
    contextLine('`/perf` shows every figure.'),
  );
  return { type: 'home', blocks };
}
