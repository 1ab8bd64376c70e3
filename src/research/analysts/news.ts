/**
 * News & events analyst: the company's event feed (offline: SEC 8-K filings) and the analyst consensus.
 * Consensus lives here, not in fundamentals: it is the market's outside view, read next to the company's own
 * announcements; the fundamentals analyst values the company from its statements alone.
 *
 * Event `text` is untrusted data: this analyst reads only dates, kinds and item codes, never the text or the title.
 *
 * Figures: `events_90d`, `events_365d` (count, period `last N days to <as-of>`), `item_<code>_365d` per notable
 * 8-K item (count), `days_since_results` (days, period = the latest results filing's date); consensus:
 * `consensus_price`, `target_mean`, `target_high`, `target_low` (USD/share), `analyst_count` (count),
 * `implied_upside` (%, target mean ÷ price − 1), `target_mean_change` (%, vs the earliest snapshot).
 */
import type { AnalystRatings, CompanyNews } from '../../mcp-server/shapes.js';
import { formatFigure } from '../../writers/format.js';
import type { DataBundle, Figure, Findings } from '../types.js';
import {
  bundleAsOf,
  dataOf,
  daysBefore,
  daysBetween,
  degradedFields,
  derived,
  failedReasons,
  missingReason,
  round,
  scoreToSignal,
  sourced,
} from './common.js';
import { ITEM_NAMES, itemFigureName, NOTABLE_ITEMS, RED_FLAG_ITEMS } from './sec-items.js';

/** Ratings counted as positive or negative (lower-case, `_` separated, as the consensus data spells them). */
const POSITIVE_RATINGS = new Set(['strong_buy', 'buy', 'outperform', 'overweight']);
const NEGATIVE_RATINGS = new Set(['sell', 'strong_sell', 'underperform', 'underweight']);

/** A consensus rating in plain words: `strong_buy` → `strong buy`; `''` for a missing one (`none`, `n/a`). */
export function ratingWords(rating: string | undefined): string {
  const words = (rating ?? '').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return NO_RATING.has(words) ? '' : words;
}

/** How the sources write "no consensus rating". */
const NO_RATING = new Set(['', 'none', 'n/a', 'na', 'null', 'unstated', 'unknown']);

function eventFigures(news: CompanyNews, asOf: string): { figures: Figure[]; score: number; points: string[] } {
  const figs: Figure[] = [];
  const points: string[] = [];
  let score = 0;
  const within = (days: number) => news.events.filter((e) => e.date.slice(0, 10) > daysBefore(asOf, days));
  const src = news.source;
  for (const days of [90, 365]) {
    figs.push(
      sourced(
        `events_${days}d`,
        `Events in the last ${days} days`,
        within(days).length,
        'count',
        src,
        `last ${days} days to ${asOf}`,
      ),
    );
  }
  const year = within(365);
  const counts = new Map<string, number>();
  for (const e of year) for (const item of new Set(e.items)) counts.set(item, (counts.get(item) ?? 0) + 1);
  const period = `last 365 days to ${asOf}`;
  for (const code of NOTABLE_ITEMS) {
    const n = counts.get(code);
    if (!n) continue;
    figs.push(
      sourced(itemFigureName(code), `8-K filings with item ${code} (${ITEM_NAMES[code]})`, n, 'count', src, period),
    );
    const weight = RED_FLAG_ITEMS[code];
    if (weight) {
      score -= weight * n;
      points.push(
        `Red flag: ${n === 1 ? 'an 8-K' : `${formatFigure(figs.at(-1) as Figure)} 8-Ks`} with item ${code} (${ITEM_NAMES[code]}) in the last 365 days.`,
      );
    }
  }
  if ((counts.get('5.02') ?? 0) >= 3) score -= 0.5;
  const results = news.events.find((e) => e.items.includes('2.02'));
  if (results) {
    const days = daysBetween(results.date, asOf);
    figs.push({
      ...sourced(
        'days_since_results',
        'Days since the latest results filing',
        days,
        'days',
        results.source,
        results.date.slice(0, 10),
      ),
    });
    points.unshift(`The latest results filing (8-K item 2.02) is dated ${results.date.slice(0, 10)}.`);
  }
  return { figures: figs, score, points };
}

function consensusFigures(an: AnalystRatings): { figures: Figure[]; score: number; points: string[] } {
  const d = an.asOf;
  const src = an.source;
  const price = sourced('consensus_price', 'Price at the consensus snapshot', an.price, 'USD/share', src, d);
  const count = sourced('analyst_count', 'Analysts covering', an.analystCount, 'count', src, d);
  const mean =
    an.targetMean === undefined
      ? undefined
      : sourced('target_mean', 'Mean price target', an.targetMean, 'USD/share', src, d);
  const figs: Figure[] = [price];
  if (mean) figs.push(mean);
  if (an.targetHigh !== undefined)
    figs.push(sourced('target_high', 'Highest price target', an.targetHigh, 'USD/share', src, d));
  if (an.targetLow !== undefined)
    figs.push(sourced('target_low', 'Lowest price target', an.targetLow, 'USD/share', src, d));
  figs.push(count);
  const points: string[] = [];
  let score = 0;
  const rated = `${formatFigure(count)} analysts ${ratingWords(an.rating) ? `rate the stock ${ratingWords(an.rating)}` : 'cover the stock (no consensus rating given)'}`;
  if (mean && an.targetMean !== undefined && an.price > 0) {
    const up = round((an.targetMean / an.price - 1) * 100);
    const fig = derived(
      'implied_upside',
      'Implied upside to the mean target',
      up,
      '%',
      d,
      `target mean ÷ price ${d} − 1`,
      src,
    );
    figs.push(fig);
    score += up > 25 ? 1 : up > 10 ? 0.5 : up < 0 ? -1 : 0;
    points.push(
      `${rated}; the mean target of ${formatFigure(mean)} implies ${formatFigure(fig, { signed: true })} from ${formatFigure(price)} (${d}).`,
    );
  } else if (!mean) {
    // Ratings without a price target (Finnhub on a free key): said, with why, never a made-up target.
    points.push(`${rated} (${d}); ${lowerFirst(an.targetNote ?? 'no price target was given')}.`);
  }
  const rating = an.rating.toLowerCase();
  if (POSITIVE_RATINGS.has(rating)) score += 0.5;
  if (NEGATIVE_RATINGS.has(rating)) score -= 1;
  const first = an.history[0];
  if (an.targetMean !== undefined && first && first.date < d && first.targetMean > 0) {
    const ch = round((an.targetMean / first.targetMean - 1) * 100);
    figs.push(
      derived(
        'target_mean_change',
        'Change in the mean target',
        ch,
        '%',
        `${first.date} to ${d}`,
        `target mean ${d} ÷ target mean ${first.date} − 1`,
        src,
      ),
    );
  }
  return { figures: figs, score, points };
}

/** `Price target not available…` → `price target not available…`, for the middle of a sentence. */
function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`.replace(/\.$/, '');
}

/** The news & events analyst. Never throws; missing feeds are said in plain words, failed ones degrade. */
export function analyzeNews(bundle: DataBundle): Findings {
  const news = dataOf(bundle.news);
  const an = dataOf(bundle.analyst);
  const gaps = [missingReason(bundle, 'news'), missingReason(bundle, 'analyst')].filter((r): r is string => !!r);
  if (!news && !an) {
    const fields = degradedFields(bundle, gaps.join(' '), ['news', 'analyst']);
    return { analyst: 'news', signal: 'neutral', confidence: 0.1, points: gaps, figures: [], ...fields };
  }
  const asOf = bundleAsOf(bundle) ?? an?.asOf ?? news?.events[0]?.date.slice(0, 10) ?? '';
  const ev = news ? eventFigures(news, asOf) : { figures: [], score: 0, points: [] };
  const cons = an ? consensusFigures(an) : { figures: [], score: 0, points: [] };
  const { signal, confidence } = scoreToSignal(ev.score + cons.score, (news ? 0.5 : 0) + (an ? 0.5 : 0), 1);
  const findings: Findings = {
    analyst: 'news',
    signal,
    confidence,
    points: [...cons.points, ...ev.points, ...gaps],
    figures: [...ev.figures, ...cons.figures],
  };
  const failed = failedReasons(bundle, ['news', 'analyst']);
  return failed.length > 0 ? { ...findings, degraded: failed.join(' ') } : findings;
}
