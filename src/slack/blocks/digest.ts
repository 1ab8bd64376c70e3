/**
 * The watchlist digest as one Slack message: a header naming the close, then one section per watched ticker — its
 * close with the day and week change, the filings new since the last digest, a consensus or price-target change —
 * with a *Full report* button that starts the report as `/research-stock TICKER` would. Pure.
 */
import type { types } from '@slack/bolt';
import { targetMoved } from '../../watchlists/digest.js';
import type { ConsensusChange, Digest, DigestEntry, FilingSeen } from '../../watchlists/types.js';
import { clip, contextLine, countOf, escapeMrkdwn, MAX_BLOCKS, type SlackMessage } from './format.js';
import { signedPct, usd } from './watchlist.js';

/** Action ids of the digest's buttons: `digest_report:<TICKER>` (unique in the message), value the ticker. */
export const DIGEST_ACTIONS = {
  /** Prefix of the Full report buttons' action ids. */
  reportPrefix: 'digest_report:',
  /** Matches every Full report button. */
  report: /^digest_report:/,
} as const;

/** Most filings listed per ticker; more are counted. */
export const FILINGS_SHOWN = 4;
/** Section text limit (Slack's is 3,000 characters). */
const SECTION_LIMIT = 2900;

function longDate(iso: string): string {
  return new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

function filingLine(f: FilingSeen): string {
  const items = f.items.length > 0 && !f.title.includes(`(${f.items[0]})`) ? ` (items ${f.items.join(', ')})` : '';
  const what = `${escapeMrkdwn(f.form)} filed ${f.date}: ${escapeMrkdwn(f.title)}${items}`;
  return `:page_facing_up: ${f.url ? `<${f.url}|${what}>` : what}`;
}

function ratingWords(rating: string): string {
  return rating.replace(/_/g, ' ');
}

/** `Mean target $304.12 → $310.00 (+1.9%); rating buy → strong buy; analysts 58 → 60`: only what moved. */
export function consensusLine({ from, to }: ConsensusChange): string {
  const parts: string[] = [];
  if (from.targetMean !== undefined && to.targetMean !== undefined && targetMoved(from, to))
    parts.push(
      `mean price target ${usd(from.targetMean)} → ${usd(to.targetMean)} (${signedPct((to.targetMean / from.targetMean - 1) * 100)})`,
    );
  if (from.rating !== to.rating) parts.push(`consensus ${ratingWords(from.rating)} → ${ratingWords(to.rating)}`);
  if (from.analystCount !== to.analystCount) parts.push(`analysts ${from.analystCount} → ${to.analystCount}`);
  const text = parts.join('; ');
  return `:dart: ${text.charAt(0).toUpperCase()}${text.slice(1)} (as of ${to.asOf})`;
}

function entryText(entry: DigestEntry, since: string | undefined): string {
  const { now } = entry;
  const lines: string[] = [];
  if (now.close) {
    const changes = [
      now.dayChangePct === undefined ? undefined : `${signedPct(now.dayChangePct)} on the day`,
      now.weekChangePct === undefined ? undefined : `${signedPct(now.weekChangePct)} on the week`,
    ].filter((c): c is string => c !== undefined);
    lines.push(
      `*${escapeMrkdwn(entry.ticker)}* ${usd(now.close.value)}${changes.length > 0 ? `  ${changes.join(', ')}` : ''}  _close ${now.close.date}_`,
    );
  } else lines.push(`*${escapeMrkdwn(entry.ticker)}* — no prices could be read`);
  for (const f of entry.newFilings.slice(0, FILINGS_SHOWN)) lines.push(filingLine(f));
  if (entry.newFilings.length > FILINGS_SHOWN)
    lines.push(`…and ${countOf(entry.newFilings.length - FILINGS_SHOWN, 'more filing')}`);
  if (entry.consensusChange) lines.push(consensusLine(entry.consensusChange));
  const quiet: string[] = [];
  if (entry.newFilings.length === 0)
    quiet.push(entry.first || !since ? 'no filings in the last week' : 'no new filings');
  if (!entry.consensusChange && now.consensus && !entry.first) quiet.push('consensus unchanged');
  if (!now.consensus) quiet.push('no analyst consensus');
  if (quiet.length > 0) lines.push(`_${quiet.join('; ')}_`);
  if (now.missing.length > 0) lines.push(`:warning: _Not available today: ${escapeMrkdwn(now.missing.join('; '))}_`);
  return clip(lines.join('\n'), SECTION_LIMIT);
}

function reportButton(ticker: string): types.Button {
  return {
    type: 'button',
    action_id: `${DIGEST_ACTIONS.reportPrefix}${ticker}`,
    text: { type: 'plain_text', text: 'Full report', emoji: true },
    value: ticker,
    accessibility_label: `Research ${ticker}: a full report in this channel`,
  };
}

/** The digest message: header, what it compares with, one section (with its button) per ticker. */
export function digestMessage(digest: Digest): SlackMessage {
  const header: types.HeaderBlock = {
    type: 'header',
    text: { type: 'plain_text', text: `Watchlist at the close, ${longDate(digest.session)}`, emoji: true },
  };
  const compared = digest.since
    ? `Changes since the last digest (the ${digest.since} close).`
    : 'The first digest of this watchlist: filings of the last week.';
  const sections = digest.entries.map(
    (entry): types.SectionBlock => ({
      type: 'section',
      text: { type: 'mrkdwn', text: entryText(entry, digest.since) },
      accessory: reportButton(entry.ticker),
    }),
  );
  const news = digest.entries.filter((e) => e.newFilings.length > 0 || e.consensusChange);
  const summary =
    news.length === 0
      ? 'nothing new filed or changed by analysts'
      : news.map((e) => escapeMrkdwn(e.ticker)).join(', ') + (news.length === 1 ? ' has news' : ' have news');
  const text = clip(
    `Watchlist digest for the ${digest.session} close: ${countOf(digest.entries.length, 'ticker')}, ${summary}.`,
  );
  const blocks: types.KnownBlock[] = [
    header,
    contextLine(`${compared} ${countOf(digest.entries.length, 'ticker')} watched; *Full report* researches one here.`),
    ...sections,
  ].slice(0, MAX_BLOCKS);
  return { text, blocks };
}
