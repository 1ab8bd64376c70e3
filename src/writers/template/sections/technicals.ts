/**
 * The Technicals section: trend (price against its moving averages, the 50/200-day cross), momentum (RSI, MACD,
 * returns) and the 52-week range, from the technicals analyst's figures.
 */
import { RSI_OVERBOUGHT, RSI_OVERSOLD } from '../../../research/analysts/technicals.js';
import { type Facts, joinList } from '../facts.js';

function trend(facts: Facts): string | undefined {
  const close = facts.get('technicals', 'last_close');
  if (!close) return undefined;
  const vs: string[] = [];
  for (const n of [20, 50, 200]) {
    const sma = facts.get('technicals', `sma${n}`);
    const pct = facts.get('technicals', `price_vs_sma${n}`);
    if (sma && pct)
      vs.push(`${facts.abs(pct)} ${pct.value >= 0 ? 'above' : 'below'} its ${n}-day average (${facts.v(sma)})`);
  }
  const security = facts.chartSecurity();
  const stand =
    security !== facts.ticker
      ? `The data set has no daily prices of ${facts.ticker}'s own class, so the chart reads ${security}, which trades close to it. `
      : '';
  let text = `${stand}${security} closed at ${facts.v(close)} on ${close.period}${vs.length > 0 ? `, ${joinList(vs)}` : ''}.`;
  const cross = facts.get('technicals', 'sma50_vs_sma200');
  if (cross) {
    text +=
      cross.value >= 0
        ? ` The 50-day average sits ${facts.abs(cross)} above the 200-day: a golden-cross state, the mark of an established uptrend.`
        : ` The 50-day average sits ${facts.abs(cross)} below the 200-day: a death-cross state, the mark of an established downtrend.`;
  } else {
    text += ' There is not enough history for a 200-day average, so the long-term trend cannot be read.';
  }
  return text;
}

function momentum(facts: Facts): string | undefined {
  const out: string[] = [];
  const rsi = facts.get('technicals', 'rsi14');
  if (rsi) {
    const zone =
      rsi.value > RSI_OVERBOUGHT
        ? 'overbought: the rise has been steep and a pause is common from here'
        : rsi.value < RSI_OVERSOLD
          ? 'oversold: selling has been heavy and rebounds are common from here'
          : 'neither overbought nor oversold';
    out.push(`RSI 14 is ${facts.v(rsi)}, ${zone}.`);
  }
  const macd = facts.get('technicals', 'macd_histogram');
  if (macd) {
    out.push(
      macd.value >= 0
        ? `The MACD histogram is positive (${facts.v(macd)}), so momentum is still building.`
        : `The MACD histogram is negative (${facts.v(macd)}), so momentum is fading.`,
    );
  }
  const rets = (
    [
      ['return_1m', 'the past month'],
      ['return_3m', 'three months'],
      ['return_1y', 'one year'],
    ] as const
  )
    .map(([name, label]) => {
      const f = facts.get('technicals', name);
      return f ? `${facts.v(f, true)} over ${label}` : undefined;
    })
    .filter((r): r is string => !!r);
  const who = facts.chartSecurity() === facts.ticker ? 'The stock' : facts.chartSecurity();
  if (rets.length > 0) out.push(`${who} returned ${joinList(rets)}.`);
  return out.length > 0 ? out.join(' ') : undefined;
}

function range(facts: Facts): string | undefined {
  const hi = facts.get('technicals', 'high_52w');
  const lo = facts.get('technicals', 'low_52w');
  const dd = facts.get('technicals', 'drawdown_from_high');
  if (!hi || !lo) return undefined;
  const where = dd
    ? Math.abs(dd.value) < 0.05
      ? ' and the price is at the high'
      : `; the price is ${facts.abs(dd)} below the high`
    : '';
  const of = facts.chartSecurity() === facts.ticker ? '' : ` of ${facts.chartSecurity()}`;
  return `The 52-week range${of} runs from ${facts.v(lo)} to ${facts.v(hi)}${where}.`;
}

/** Paragraphs of the Technicals section. */
export function technicalsSection(facts: Facts): string[] {
  if (facts.empty('technicals')) return [facts.reason('technicals')];
  const f = facts.findings('technicals');
  const macd = facts.get('technicals', 'macd_histogram');
  const fading = macd !== undefined && macd.value < 0;
  const rising = macd !== undefined && macd.value >= 0;
  let verdict: string;
  if (f.signal === 'bullish') {
    verdict = fading
      ? 'Taken together the chart reads bullish: the trend is up, though short-term momentum has faded.'
      : 'Taken together the chart reads bullish: trend and momentum both point up.';
  } else if (f.signal === 'bearish') {
    verdict = rising
      ? 'Taken together the chart reads bearish: the trend is down, though short-term momentum has turned up.'
      : 'Taken together the chart reads bearish: the trend is down and momentum has not turned.';
  } else {
    verdict = 'Taken together the chart is mixed: trend and momentum do not agree.';
  }
  return [trend(facts), momentum(facts), range(facts), verdict].filter((p): p is string => !!p);
}
