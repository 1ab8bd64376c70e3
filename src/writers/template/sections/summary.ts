/**
 * The Executive summary: the verdict and its reasons, the fundamentals in one sentence, then the market's view
 * (trend, consensus) and the main risk. Built from the analysts' figures and the verdict rules.
 */
import type { Facts } from '../facts.js';
import { confidenceWord, joinList, peBasis } from '../facts.js';
import { ratingWord, verdictOf, verdictReasons } from './verdict.js';

function business(facts: Facts): string {
  if (facts.empty('fundamentals')) return facts.reason('fundamentals');
  const rev = facts.get('fundamentals', 'revenue');
  const g = facts.get('fundamentals', 'revenue_growth_yoy');
  const nm = facts.get('fundamentals', 'net_margin');
  const fcf = facts.get('fundamentals', 'free_cash_flow');
  const pe = facts.get('fundamentals', 'pe_ratio');
  const bits: string[] = [];
  if (rev) {
    bits.push(
      g && g.period === rev.period
        ? `revenue ${g.value >= 0 ? 'grew' : 'shrank'} ${facts.abs(g)} to ${facts.v(rev)}`
        : `revenue was ${facts.v(rev)}`,
    );
  }
  // A figure of another period than the sentence's says its own period (COIN: FY2025 capex is missing, so its
  // newest free cash flow is FY2023's).
  const own = (f: { period?: string } | undefined) => !!f && !!rev && f.period === rev.period;
  if (nm)
    bits.push(own(nm) ? `the net margin was ${facts.v(nm)}` : `the net margin was ${facts.v(nm)} in ${nm.period}`);
  if (fcf)
    bits.push(
      own(fcf)
        ? `free cash flow came to ${facts.v(fcf)}`
        : `free cash flow, last reported for ${fcf.period}, came to ${facts.v(fcf)}`,
    );
  if (!rev) {
    const snap = pe ? ` The market snapshot of ${pe.period} puts the P/E at ${facts.v(pe)}.` : '';
    return `${facts.reason('fundamentals')}${snap}`;
  }
  let text = `In ${rev.period} ${joinList(bits)}.`;
  if (pe) text += ` The shares trade at ${facts.v(pe)} ${peBasis(facts)}, at the price of ${pe.period}.`;
  return text;
}

function market(facts: Facts): string | undefined {
  const out: string[] = [];
  const close = facts.get('technicals', 'last_close');
  const vs = facts.get('technicals', 'price_vs_sma200');
  const security = facts.chartSecurity();
  const own = facts.get('fundamentals', 'price');
  if (close && security !== facts.ticker) {
    // The chart is another class's: state the ticker's own price, and the trend as that class's.
    if (own) out.push(`${facts.ticker} closed at ${facts.v(own)} on ${own.period}.`);
    if (vs)
      out.push(
        `${security}, whose prices stand in for the chart, is ${facts.abs(vs)} ${vs.value >= 0 ? 'above' : 'below'} its 200-day average.`,
      );
  } else if (close) {
    out.push(
      vs
        ? `The stock closed at ${facts.v(close)} on ${close.period}, ${facts.abs(vs)} ${vs.value >= 0 ? 'above' : 'below'} its 200-day average.`
        : `The stock closed at ${facts.v(close)} on ${close.period}.`,
    );
  }
  const up = facts.get('news', 'implied_upside');
  const n = facts.get('news', 'analyst_count');
  const price = facts.get('news', 'consensus_price');
  if (up && n) {
    // "From there" only when the upside is measured from the close just stated; a consensus source's own quote
    // (Finnhub's, newer than a stale close) is named with its date.
    const stated = close && security !== facts.ticker ? own : close;
    const from =
      stated && (!price || Math.abs(stated.value - price.value) < 0.005)
        ? 'from there'
        : price
          ? `from ${facts.v(price)} (${price.period})`
          : 'from the current price';
    out.push(`The mean target of ${facts.count(n, 'analyst', 'analysts')} implies ${facts.v(up, true)} ${from}.`);
  } else if (facts.missing('analyst')) out.push(facts.missing('analyst') as string);
  const risk = facts.findings('risk');
  const flag = risk.points.find((p) => /^(High|Deep|Loss|Concentrated)/.test(p));
  // The same risk level as the Risks section ("Overall the risks are elevated / moderate / low").
  if (risk.signal === 'bearish' && flag)
    out.push(`Measured risks are elevated. Main risk — ${flag.charAt(0).toLowerCase()}${flag.slice(1)}`);
  else if (!facts.empty('risk'))
    out.push(
      risk.signal === 'bullish'
        ? 'Measured risks are low.'
        : risk.signal === 'bearish'
          ? 'Measured risks are elevated.'
          : 'Measured risks are moderate.',
    );
  return out.length > 0 ? out.join(' ') : undefined;
}

/** Paragraphs of the Executive summary. */
export function summarySection(facts: Facts): string[] {
  const v = verdictOf(facts);
  const reasons = verdictReasons(v);
  const why = reasons.startsWith('not enough data') ? `: there is ${reasons}` : `: ${reasons}`;
  const head = `**${facts.name}: ${ratingWord(v)}** (${confidenceWord(v.confidence)} confidence)${why}.`;
  return [head, business(facts), market(facts)].filter((p): p is string => !!p);
}
