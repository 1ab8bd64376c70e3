/**
 * The Verdict section (rating, the reasons that weigh most, what would change the view) and the verdict helpers
 * the Executive summary shares. The rating comes from {@link decideVerdict}; the reasons cite analysts' figures.
 */
import { hasLiveData } from '../../../research/analysts/common.js';
import { ANALYSTS, type AnalystName, type Verdict } from '../../../research/types.js';
import { decideVerdict, REASON_WORDS, VERDICT_ANALYST_WORDS, verdictBreakdown } from '../../../research/verdict.js';
import { confidenceWord, type Facts, joinList, peBasis } from '../facts.js';

/** Revenue growth (%, year over year) at or below which "slowing sharply" would be no change at all. */
const SLOW_GROWTH_PCT = 5;

/** The verdict of a section context, decided from its findings. */
export function verdictOf(facts: Facts): Verdict {
  return decideVerdict(ANALYSTS.map((a) => facts.findings(a)));
}

/** "Buy", "Hold" or "Sell". */
export function ratingWord(v: Verdict): string {
  return v.rating === 'buy' ? 'Buy' : v.rating === 'sell' ? 'Sell' : 'Hold';
}

/** The verdict line's reasons, without the rating word and the numeric confidence. */
export function verdictReasons(v: Verdict): string {
  return v.line.replace(/^\S+ — /, '').replace(/ \(confidence [\d.]+\)$/, '');
}

/** One sentence backing an analyst's signal with its key figures. */
function evidence(facts: Facts, analyst: AnalystName): string | undefined {
  const signal = facts.findings(analyst).signal;
  const head = REASON_WORDS[analyst][signal];
  const cap = `${head.charAt(0).toUpperCase()}${head.slice(1)}`;
  if (analyst === 'fundamentals') {
    const g = facts.get('fundamentals', 'revenue_growth_yoy');
    const om = facts.get('fundamentals', 'operating_margin');
    const pe = facts.get('fundamentals', 'pe_ratio');
    const bits = [
      g ? `revenue ${g.value >= 0 ? 'up' : 'down'} ${facts.abs(g)} in ${g.period}` : '',
      om ? `a ${facts.v(om)} operating margin` : '',
      pe ? `a P/E of ${facts.v(pe)} on ${peBasis(facts)}` : '',
    ].filter(Boolean);
    return bits.length > 0 ? `${cap}: ${joinList(bits)}.` : undefined;
  }
  if (analyst === 'technicals') {
    const vs = facts.get('technicals', 'price_vs_sma200') ?? facts.get('technicals', 'price_vs_sma50');
    const r = facts.get('technicals', 'return_3m');
    const bits = [
      vs
        ? `the price is ${facts.abs(vs)} ${vs.value >= 0 ? 'above' : 'below'} its ${vs.name.endsWith('200') ? '200' : '50'}-day average`
        : '',
      r ? `it returned ${facts.v(r, true)} over three months` : '',
    ].filter(Boolean);
    // A three-month return against the trend is a caveat, not a reason: "…, though it returned -2.2% …".
    const against = r && ((signal === 'bullish' && r.value < 0) || (signal === 'bearish' && r.value > 0));
    if (against && bits.length === 2) return `${cap}: ${bits[0]}, though ${bits[1]}.`;
    return bits.length > 0 ? `${cap}: ${joinList(bits)}.` : undefined;
  }
  if (analyst === 'news') {
    const up = facts.get('news', 'implied_upside');
    const n = facts.get('news', 'analyst_count');
    if (up && n)
      return `${cap}: the mean target of ${facts.count(n, 'analyst', 'analysts')} implies ${facts.v(up, true)}.`;
    const y = facts.get('news', 'events_365d');
    return y ? `${cap}: ${facts.count(y, '8-K filing', '8-K filings')} in the ${y.period}.` : undefined;
  }
  const v = facts.get('risk', 'volatility_90d');
  const mdd = facts.get('risk', 'max_drawdown_1y');
  const de = facts.get('risk', 'debt_to_equity');
  const bits = [
    v ? `${facts.v(v)} annualised volatility` : '',
    mdd ? `a ${facts.abs(mdd)} drawdown within the year` : '',
    de && de.value > 1 ? `debt at ${facts.v(de)} equity` : '',
  ].filter(Boolean);
  return bits.length > 0 ? `${cap}: ${joinList(bits)}.` : undefined;
}

/** Developments that would make the view more positive. */
function upside(facts: Facts): string[] {
  const out: string[] = [];
  const g = facts.get('fundamentals', 'revenue_growth_yoy');
  if (g && g.value < 0) out.push(`a return to revenue growth (${facts.v(g)} in ${g.period})`);
  const fcf = facts.get('fundamentals', 'free_cash_flow');
  if (fcf && fcf.value < 0) out.push(`free cash flow turning positive (${facts.v(fcf)} in ${fcf.period})`);
  const vs = facts.get('technicals', 'price_vs_sma200');
  const sma = facts.get('technicals', 'sma200');
  const hi = facts.get('technicals', 'high_52w');
  if (vs && sma && vs.value < 0) out.push(`a close back above the 200-day average of ${facts.v(sma)}`);
  else if (hi) out.push(`a break above the 52-week high of ${facts.v(hi)}`);
  const up = facts.get('news', 'implied_upside');
  const mean = facts.get('news', 'target_mean');
  if (up && mean && up.value < 0) out.push(`the price falling back below the mean target of ${facts.v(mean)}`);
  const de = facts.get('risk', 'debt_to_equity');
  if (de && de.value > 1) out.push(`debt paid down from ${facts.v(de)} equity`);
  if (g && g.value >= 0 && out.length < 3) out.push(`revenue growth holding near ${facts.v(g)} while margins keep up`);
  return out;
}

/** Developments that would make the view more negative. */
function downside(facts: Facts): string[] {
  const out: string[] = [];
  const g = facts.get('fundamentals', 'revenue_growth_yoy');
  if (g && g.value > SLOW_GROWTH_PCT) out.push(`revenue growth slowing sharply from ${facts.v(g)} in ${g.period}`);
  else if (g && g.value >= 0) out.push(`revenue starting to shrink (it grew ${facts.v(g)} in ${g.period})`);
  const om = facts.get('fundamentals', 'operating_margin');
  if (om && om.value > 0) out.push(`operating margin falling below the ${facts.v(om)} of ${om.period}`);
  const vs = facts.get('technicals', 'price_vs_sma200');
  const sma = facts.get('technicals', 'sma200');
  const lo = facts.get('technicals', 'low_52w');
  if (vs && sma && vs.value >= 0) out.push(`a close below the 200-day average of ${facts.v(sma)}`);
  else if (lo) out.push(`a break below the 52-week low of ${facts.v(lo)}`);
  const mean = facts.get('news', 'target_mean');
  const up = facts.get('news', 'implied_upside');
  if (mean && up && up.value > 0) out.push(`analysts cutting the mean target of ${facts.v(mean)} toward the price`);
  return out;
}

/** Paragraphs of the Verdict section. */
export function verdictSection(facts: Facts): string[] {
  const v = verdictOf(facts);
  const { parts, unassessed } = verdictBreakdown(ANALYSTS.map((a) => facts.findings(a)));
  // An analyst without data has no signal to report: "not assessed", never a "neutral" it did not find.
  const signals = ANALYSTS.map(
    (a) =>
      `${VERDICT_ANALYST_WORDS[a]} ${unassessed.includes(a) ? 'not assessed (no data)' : facts.findings(a).signal}`,
  );
  const head = `**${ratingWord(v)}**, with ${confidenceWord(v.confidence)} confidence: ${verdictReasons(v)}. The analysts' signals, weighted with fundamentals counting most, are ${joinList(signals)}.`;
  if (parts.length === 0) return [head, `There is not enough data on ${facts.ticker} for a firmer view.`];
  const reasons = parts
    .filter((p) => p.contribution !== 0)
    .map((p) => evidence(facts, p.analyst))
    .filter((e): e is string => !!e)
    .map((e) => `- ${e}`);
  const up = upside(facts).slice(0, 3);
  const down = downside(facts).slice(0, 3);
  const out = [head];
  if (reasons.length > 0) out.push(reasons.join('\n'));
  const change: string[] = [];
  if (v.rating === 'buy' && down.length > 0) change.push(`What would change the view: ${joinList(down)}.`);
  if (v.rating === 'sell' && up.length > 0) change.push(`What would change the view: ${joinList(up)}.`);
  if (v.rating === 'hold' && up.length > 0) change.push(`An upgrade to Buy would need ${joinList(up)}.`);
  if (v.rating === 'hold' && down.length > 0) change.push(`A downgrade to Sell would follow ${joinList(down)}.`);
  if (change.length > 0) out.push(change.join(' '));
  // Live data is named in the report's data lines; only an all-bundled report is "the bundled data".
  const data = hasLiveData(facts.ctx.bundle) ? 'the data named at the top of the report' : 'the bundled data';
  out.push(`This is a rule-based reading of ${data}, not investment advice.`);
  return out;
}
