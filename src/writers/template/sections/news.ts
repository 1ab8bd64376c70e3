/**
 * The News & events section: analyst consensus (rating, targets, implied upside) and the company's SEC 8-K filings
 * by item code. Filings are named from their item codes only; their free text is untrusted and never quoted.
 */

import { daysBefore } from '../../../research/analysts/common.js';
import { ratingWords } from '../../../research/analysts/news.js';
import { ITEM_NAMES, NOTABLE_ITEMS, RED_FLAG_ITEMS } from '../../../research/analysts/sec-items.js';
import type { Figure } from '../../../research/types.js';
import { type Facts, joinList } from '../facts.js';

function consensus(facts: Facts): string {
  const count = facts.get('news', 'analyst_count');
  const mean = facts.get('news', 'target_mean');
  if (!count) {
    return facts.missing('analyst') ?? `No analyst consensus is available for ${facts.ticker} in the bundled data set.`;
  }
  const an = facts.ctx.bundle.analyst;
  const rating = an.status === 'ok' ? ratingWords(an.data.rating) : '';
  if (!mean) {
    // Ratings without a price target (Finnhub on a free key): the ratings, and why there is no target.
    const why =
      an.status === 'ok' && an.data.targetNote ? an.data.targetNote.replace(/\.$/, '') : 'No price target was given';
    return `${facts.count(count, 'analyst covers', 'analysts cover')} ${facts.ticker}, with ${rating ? `a consensus rating of ${rating}` : 'no consensus rating given'} (${count.period}). ${why}.`;
  }
  const price = facts.get('news', 'consensus_price');
  const up = facts.get('news', 'implied_upside');
  const hi = facts.get('news', 'target_high');
  const lo = facts.get('news', 'target_low');
  let text = `${facts.count(count, 'analyst covers', 'analysts cover')} ${facts.ticker}, with ${rating ? `a consensus rating of ${rating}` : 'no consensus rating given'} (${count.period}).`;
  if (up && price) {
    const side = up.value >= 0 ? 'above' : 'below';
    text += ` Their mean price target of ${facts.v(mean)} sits ${facts.abs(up)} ${side} the ${facts.v(price)} price`;
  } else {
    text += ` Their mean price target is ${facts.v(mean)}`;
  }
  text += hi && lo ? `, with targets from ${facts.v(lo)} to ${facts.v(hi)}.` : '.';
  const ch = facts.get('news', 'target_mean_change');
  if (ch && Math.abs(ch.value) >= 0.05) {
    text += ` The mean target ${ch.value >= 0 ? 'rose' : 'fell'} ${facts.abs(ch)} from ${ch.period}.`;
  }
  if (up) {
    text +=
      up.value > 25
        ? ' The Street sees substantial room to run.'
        : up.value > 10
          ? ' The Street sees moderate upside.'
          : up.value >= 0
            ? ' The price is already close to where analysts expect it to go.'
            : ' The price is above the average target: analysts see it as ahead of itself.';
  }
  return text;
}

function events(facts: Facts): string {
  const y = facts.get('news', 'events_365d');
  const q = facts.get('news', 'events_90d');
  if (!y)
    return facts.missing('news') ?? `No company events are available for ${facts.ticker} in the bundled data set.`;
  // "Within the last 90 days" only where the filings data reaches that far; else say where it ends.
  const news = facts.ctx.bundle.news;
  const feedEnd = news.status === 'ok' ? news.data.source.asOf?.slice(0, 10) : undefined;
  const to = /(\d{4}-\d{2}-\d{2})$/.exec(q?.period ?? '')?.[1];
  const short = !!feedEnd && !!to && feedEnd < daysBefore(to, 90);
  if (y.value === 0)
    return `${facts.ticker} filed no 8-K reports in the ${y.period}${short ? `; the filings data ends on ${feedEnd}` : ''}.`;
  let text = `${facts.ticker} filed ${facts.count(y, '8-K report', '8-K reports')} in the ${y.period}`;
  if (!q) text += '.';
  else if (short && q.value === 0) text += `, none since ${feedEnd}, where the filings data ends.`;
  else if (y.value === 1) text += q.value > 0 ? ', within the last 90 days.' : ', not within the last 90 days.';
  else if (q.value === 0) text += ', none of them within the last 90 days.';
  else text += `, ${q.value === y.value ? 'all' : facts.v(q)} of them within the last 90 days.`;
  const items = NOTABLE_ITEMS.map((code) => [code, facts.get('news', `item_${code.replace('.', '_')}_365d`)] as const)
    .filter((x): x is readonly [string, Figure] => !!x[1])
    .map(([code, f]) => `${facts.v(f)} on ${ITEM_NAMES[code]} (item ${code})`);
  if (items.length > 0) text += ` By item: ${joinList(items)}.`;
  const res = facts.get('news', 'days_since_results');
  if (res)
    text += ` The latest results filing is dated ${res.period}, ${facts.v(res)} before the newest data in this report.`;
  return text;
}

function flags(facts: Facts): string {
  const red = Object.keys(RED_FLAG_ITEMS)
    .map((code) => [code, facts.get('news', `item_${code.replace('.', '_')}_365d`)] as const)
    .filter((x): x is readonly [string, Figure] => !!x[1]);
  if (red.length > 0) {
    const list = red.map(([code]) => `${ITEM_NAMES[code]} (item ${code})`);
    return `Red flags in the filings: ${joinList(list)}. These items are rare and usually material; read the filings before acting.`;
  }
  return 'None of the filings carries a red-flag item (non-reliance on past statements, auditor change, delisting notice, impairment or bankruptcy). Filings are described by their SEC item codes; their text is not reproduced here.';
}

/** Paragraphs of the News & events section. */
export function newsSection(facts: Facts): string[] {
  if (facts.empty('news')) return [facts.reason('news')];
  const paras = [consensus(facts), events(facts)];
  if ((facts.get('news', 'events_365d')?.value ?? 0) > 0) paras.push(flags(facts));
  return paras;
}
