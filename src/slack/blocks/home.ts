/**
 * The App Home tab (`views.publish`): the person's recent reports with links, the most-researched tickers of their
 * channel, and the headline `/perf` figures. Pure.
 */
import type { types } from '@slack/bolt';
import { feedbackLine } from '../../metrics/feedback.js';
import { formatRate } from '../../metrics/format.js';
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
  if (data.channel && data.channel.tickers.length > 0) {
    const list = data.channel.tickers.map((t) => `${escapeMrkdwn(t.ticker)} (${t.runs})`).join(' · ');
    blocks.push(mrkdwnSection(`*Most researched in <#${data.channel.id}>*\n${list}`));
  }
  const p = data.perf;
  const rate = p.cacheHitRate === null ? '—' : formatRate(p.cacheHitRate);
  const p50 = p.p50DurationMs === null ? '—' : formatDuration(p.p50DurationMs);
  const first = p.p50FirstOutputMs === null ? '—' : formatDuration(p.p50FirstOutputMs);
  blocks.push(
    { type: 'divider' },
    mrkdwnSection(
      `*The desk* — ${p.runs} run${p.runs === 1 ? '' : 's'} · p50 ${p50} · first output p50 ${first} · cache hit rate ${rate} · ${p.callsSaved} calls saved`,
    ),
    contextLine(escapeMrkdwn(feedbackLine(p.feedback, { up: ':+1:', down: ':-1:' }))),
    contextLine('`/perf` shows every figure.'),
  );
  return { type: 'home', blocks };
}
