/**
 * The Risks section: price risk (volatility, drawdowns), balance-sheet risk (leverage, net debt, losses), insider
 * selling and its concentration, and the data the report had to do without. Built from the risk analyst's figures.
 */
import { CONCENTRATED_SELLER_PCT, HIGH_LEVERAGE_X, HIGH_VOLATILITY_PCT } from '../../../research/analysts/risk.js';
import type { BundleKey } from '../../../research/types.js';
import { type Facts, joinList } from '../facts.js';

function priceRisk(facts: Facts): string | undefined {
  const v30 = facts.get('risk', 'volatility_30d');
  const v90 = facts.get('risk', 'volatility_90d');
  const mdd = facts.get('risk', 'max_drawdown_1y');
  const dd = facts.get('risk', 'drawdown_from_high');
  const out: string[] = [];
  if (v30 && v90)
    out.push(
      `Annualised volatility is ${facts.v(v30)} over 30 days and ${facts.v(v90)} over 90 days (to ${v90.period})`,
    );
  else if (v90 ?? v30) {
    const v = (v90 ?? v30) as NonNullable<typeof v30>;
    out.push(`Annualised volatility is ${facts.v(v)} (to ${v.period})`);
  }
  const ref = v90 ?? v30;
  if (ref && out.length > 0) {
    const level =
      ref.value > 60 ? 'very high' : ref.value > HIGH_VOLATILITY_PCT ? 'high' : ref.value > 25 ? 'moderate' : 'low';
    out[0] = `${out[0]}: ${level} for a listed stock.`;
  }
  if (mdd) {
    let s = `Over the past year the deepest peak-to-trough fall was ${facts.abs(mdd)}`;
    if (dd)
      s +=
        Math.abs(dd.value) < 0.05
          ? ', and the price now stands at its 52-week high'
          : `, and the price now sits ${facts.abs(dd)} below its 52-week high`;
    out.push(`${s}.`);
  }
  return out.length > 0 ? out.join(' ') : undefined;
}

function balance(facts: Facts): string | undefined {
  const de = facts.get('risk', 'debt_to_equity');
  const nd = facts.get('risk', 'net_debt');
  const ni = facts.get('risk', 'net_income');
  const out: string[] = [];
  if (de) {
    const level = de.value > 2 ? 'heavy' : de.value > HIGH_LEVERAGE_X ? 'high' : de.value > 0.5 ? 'moderate' : 'low';
    out.push(`Leverage is ${level}: debt is ${facts.v(de)} shareholders' equity in ${de.period}.`);
  }
  if (nd) {
    out.push(
      nd.value <= 0
        ? `Cash exceeds debt by ${facts.abs(nd)}, so the balance sheet is a cushion rather than a risk.`
        : `Debt exceeds cash by ${facts.v(nd)} at the end of ${nd.period}.`,
    );
  }
  if (ni) out.push(`The company lost money: net income was ${facts.v(ni)} in ${ni.period}.`);
  if (out.length === 0) {
    return (
      facts.missing('financialsAnnual') ??
      `The bundled statements for ${facts.ticker} do not report debt and equity, so leverage is not assessed.`
    );
  }
  return out.join(' ');
}

function insiders(facts: Facts): string {
  const sell = facts.get('risk', 'insider_sell_value_12m');
  const sellN = facts.get('risk', 'insider_sell_count_12m');
  const buy = facts.get('risk', 'insider_buy_value_12m');
  const buyN = facts.get('risk', 'insider_buy_count_12m');
  if (!sell || !sellN || !buy || !buyN) {
    return (
      facts.missing('insider') ?? `No insider transactions are available for ${facts.ticker} in the bundled data set.`
    );
  }
  const sold =
    sellN.value > 0
      ? `sold ${facts.v(sell)} of stock in ${facts.count(sellN, 'open-market sale', 'open-market sales')}`
      : 'made no open-market sales';
  const bought =
    buyN.value > 0 ? `bought ${facts.v(buy)} in ${facts.count(buyN, 'purchase', 'purchases')}` : 'bought none';
  const classes = /\((.+)\)$/.exec(sell.label)?.[1];
  const inClasses = classes ? ` in ${joinList(classes.split(', '))} shares` : '';
  let text = `Insiders ${sold} and ${bought}${inClasses} over the ${sell.period} (SEC Form 4).`;
  const top = facts.get('risk', 'insider_top_seller_share');
  if (top && top.value > CONCENTRATED_SELLER_PCT)
    text += ` One insider accounts for ${facts.v(top)} of that sale value.`;
  const left = facts.get('risk', 'insider_excluded_count_12m');
  const leftValue = facts.get('risk', 'insider_excluded_value_12m');
  if (left && leftValue && left.value > 0) {
    text += ` ${left.value === 1 ? 'One open-market Form 4 row' : `${facts.v(left)} open-market Form 4 rows`} worth ${facts.v(leftValue)} ${left.value === 1 ? 'was left out as a data problem' : 'were left out as data problems'} (no trade price, or one far outside ${facts.ticker}'s trading range that day: another issuer's securities filed by the company as owner, an offering price or a data error).`;
  }
  if (sellN.value > 0 && buyN.value === 0) {
    text += ' Selling without buying is common where pay comes in stock; it is a weak signal on its own.';
  }
  return text;
}

/** The data the report had to do without, leaving out what `said` (paragraphs already written) states. */
function gaps(facts: Facts, said: readonly string[] = []): string | undefined {
  const keys: BundleKey[] = [
    'financialsAnnual',
    'financialsQuarterly',
    'technicals',
    'analyst',
    'news',
    'insider',
    'profile',
  ];
  const missing = keys.map((k) => facts.missing(k)).filter((m): m is string => !!m && !said.some((p) => p.includes(m)));
  return missing.length > 0 ? `Data gaps: ${missing.join(' ')}` : undefined;
}

/** Paragraphs of the Risks section. */
export function risksSection(facts: Facts): string[] {
  if (facts.empty('risk')) {
    const reason = facts.reason('risk');
    return [reason, ...[gaps(facts, [reason])].filter((g): g is string => !!g)];
  }
  const f = facts.findings('risk');
  const overall =
    f.signal === 'bearish'
      ? 'Overall the risks are elevated.'
      : f.signal === 'bullish'
        ? 'Overall the measured risks are low.'
        : 'Overall the risks are moderate.';
  const said = [priceRisk(facts), balance(facts), insiders(facts)].filter((p): p is string => !!p);
  return [...said, gaps(facts, said), overall].filter((p): p is string => !!p);
}
