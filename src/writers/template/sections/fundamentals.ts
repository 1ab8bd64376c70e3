/**
 * The Fundamentals section: a compact table of fiscal-year figures, then growth, margins and their trend, free cash
 * flow, the balance sheet and valuation, each paragraph built only from the fundamentals analyst's figures.
 */
import { sourceLabel } from '../../../charts/source-label.js';
import { type Facts, joinList, marginTrend, yearOverYear } from '../facts.js';

const COLUMNS: readonly [name: string, title: string][] = [
  ['revenue', 'Revenue'],
  ['revenue_growth_yoy', 'Growth (YoY)'],
  ['gross_margin', 'Gross margin'],
  ['operating_margin', 'Operating margin'],
  ['net_income', 'Net income'],
  ['net_margin', 'Net margin'],
  ['eps_diluted', 'EPS (diluted)'],
  ['free_cash_flow', 'Free cash flow'],
];

/** The table of fiscal years (newest first); only columns that have at least one value. */
function table(facts: Facts): string | undefined {
  const years = facts.all('fundamentals', 'revenue').map((f) => f.period ?? '');
  if (years.length === 0) return undefined;
  const cols = COLUMNS.filter(([name]) => facts.all('fundamentals', name).length > 0);
  const head = `| Fiscal year | ${cols.map(([, t]) => t).join(' | ')} |`;
  const rule = `|---|${cols.map(() => '---:').join('|')}|`;
  const rows = years.map((y) => {
    const cells = cols.map(([name]) => {
      const f = facts.get('fundamentals', name, y);
      return f ? facts.v(f, name === 'revenue_growth_yoy') : '—';
    });
    return `| ${y} | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n');
}

function growth(facts: Facts): string | undefined {
  const [rev, prevRev] = facts.all('fundamentals', 'revenue');
  if (!rev) return undefined;
  const [g] = facts.all('fundamentals', 'revenue_growth_yoy');
  const prevG = yearOverYear(facts.all('fundamentals', 'revenue_growth_yoy'))[1];
  const parts: string[] = [];
  if (g && g.period === rev.period) {
    const verb = g.value >= 0 ? 'grew' : 'shrank';
    let s = `Revenue ${verb} ${facts.abs(g)} to ${facts.v(rev)} in ${rev.period} (${sourceLabel(rev.source)})`;
    if (prevG && prevRev && prevG.period === prevRev.period) s += `, after ${facts.v(prevG, true)} in ${prevG.period}`;
    parts.push(`${s}.`);
  } else {
    parts.push(`Revenue was ${facts.v(rev)} in ${rev.period} (${sourceLabel(rev.source)}).`);
  }
  const cagr = facts.get('fundamentals', 'revenue_cagr');
  if (cagr) {
    const pace =
      cagr.value >= 20
        ? 'a rapid pace'
        : cagr.value >= 5
          ? 'a healthy pace'
          : cagr.value >= 0
            ? 'a slow pace'
            : 'a decline';
    parts.push(`Over ${cagr.period} revenue compounded at ${facts.v(cagr)} a year, ${pace}.`);
  }
  const q = facts.get('fundamentals', 'revenue_quarter');
  const qg = facts.get('fundamentals', 'revenue_quarter_growth_yoy');
  if (q) {
    const tail = qg ? `, ${qg.value >= 0 ? 'up' : 'down'} ${facts.abs(qg)} on the same quarter a year earlier` : '';
    parts.push(`In the latest quarter, ${q.period}, revenue was ${facts.v(q)}${tail}.`);
  }
  return parts.join(' ');
}

function margins(facts: Facts): string | undefined {
  const out: string[] = [];
  for (const [name, label] of [
    ['gross_margin', 'Gross margin'],
    ['operating_margin', 'operating margin'],
    ['net_margin', 'net margin'],
  ] as const) {
    const [latest, prior] = yearOverYear(facts.all('fundamentals', name));
    if (latest) out.push(`${label} ${marginTrend(facts, latest, prior)}`);
  }
  if (out.length === 0) return undefined;
  const first = out[0] as string;
  const text = `${first.charAt(0).toUpperCase()}${first.slice(1)}${out.length > 1 ? `; ${out.slice(1).join('; ')}` : ''}.`;
  const [om, omPrior] = yearOverYear(facts.all('fundamentals', 'operating_margin'));
  if (!om) return text;
  const level =
    om.value >= 30
      ? 'exceptionally profitable'
      : om.value >= 15
        ? 'solidly profitable'
        : om.value >= 0
          ? 'thinly profitable'
          : 'loss-making at the operating line';
  const trend = omPrior
    ? om.value - omPrior.value > 1
      ? ', and improving'
      : om.value - omPrior.value < -1
        ? ', though less so than a year earlier'
        : ''
    : '';
  return `${text} The business is ${level}${trend}.`;
}

function cash(facts: Facts): string | undefined {
  const out: string[] = [];
  const fcf = facts.get('fundamentals', 'free_cash_flow');
  const fcfm = facts.get('fundamentals', 'fcf_margin');
  if (fcf) {
    const m = fcfm && fcfm.period === fcf.period ? `, ${facts.v(fcfm)} of revenue` : '';
    out.push(
      fcf.value >= 0
        ? `Free cash flow was ${facts.v(fcf)} in ${fcf.period}${m}.`
        : `Free cash flow was negative in ${fcf.period}: ${facts.v(fcf)}${m}.`,
    );
  }
  const c = facts.get('fundamentals', 'cash_and_investments');
  const d = facts.get('fundamentals', 'total_debt');
  const net = facts.get('fundamentals', 'net_cash');
  if (c && d && net) {
    const end = net.value >= 0 ? `net cash of ${facts.v(net)}` : `net debt of ${facts.abs(net)}`;
    out.push(
      `At the end of ${c.period} the company held ${facts.v(c)} in ${c.label.toLowerCase()} against ${facts.v(d)} of ${d.label.toLowerCase()}: ${end}.`,
    );
  } else if (c) {
    out.push(
      `At the end of ${c.period} the company held ${facts.v(c)} in ${c.label.toLowerCase()}; debt is not reported in the bundled statements.`,
    );
  } else if (d) {
    out.push(`${d.label} was ${facts.v(d)} at the end of ${d.period}; cash is not reported in the bundled statements.`);
  }
  return out.length > 0 ? out.join(' ') : undefined;
}

function valuation(facts: Facts): string {
  const price = facts.get('fundamentals', 'price');
  const pe = facts.get('fundamentals', 'pe_ratio');
  const ps = facts.get('fundamentals', 'ps_ratio');
  const cap = facts.get('fundamentals', 'market_cap');
  const eps = facts.get('fundamentals', 'eps_diluted');
  const ttm = facts.get('fundamentals', 'eps_ttm');
  const out: string[] = [];
  if (price && pe?.derived && ttm) {
    out.push(
      `At ${facts.v(price)} (close of ${price.period}), the shares trade at ${facts.v(pe)} diluted EPS of ${facts.v(ttm)} over the trailing twelve months (${ttm.period}).`,
    );
  } else if (price && pe?.derived && eps) {
    out.push(
      `At ${facts.v(price)} (close of ${price.period}), the shares trade at ${facts.v(pe)} ${eps.period} diluted EPS of ${facts.v(eps)}.`,
    );
  } else if (pe) {
    out.push(`The market snapshot of ${pe.period} puts the P/E at ${facts.v(pe)}.`);
  } else if (price && ttm && ttm.value <= 0) {
    out.push(
      `At ${facts.v(price)} (close of ${price.period}) there is no meaningful P/E: diluted EPS over the trailing twelve months (${ttm.period}) was ${facts.v(ttm)}.`,
    );
  } else if (price && eps && eps.value <= 0) {
    out.push(
      `At ${facts.v(price)} (close of ${price.period}) there is no meaningful P/E: diluted EPS was ${facts.v(eps)} in ${eps.period}.`,
    );
  }
  if (ps && cap)
    out.push(
      `A market capitalisation of ${facts.v(cap)} (${cap.period}) is ${facts.v(ps)} ${facts.all('fundamentals', 'revenue')[0]?.period ?? ''} revenue.`,
    );
  if (pe) {
    const view =
      pe.value > 60
        ? 'a rich multiple that prices in years of strong growth'
        : pe.value > 35
          ? 'a premium multiple that leaves less room for disappointment'
          : pe.value > 15
            ? 'a moderate multiple'
            : 'an undemanding multiple';
    out.push(`That is ${view}.`);
  }
  return out.length > 0
    ? out.join(' ')
    : `No valuation multiples could be computed for ${facts.ticker} from the bundled data.`;
}

/** What the market snapshot says when there are no statements. */
function snapshot(facts: Facts): string | undefined {
  const bits: string[] = [];
  const price = facts.get('fundamentals', 'price');
  const cap = facts.get('fundamentals', 'market_cap');
  const pe = facts.get('fundamentals', 'pe_ratio');
  const ps = facts.get('fundamentals', 'ps_ratio');
  const dy = facts.get('fundamentals', 'dividend_yield');
  // The price is the last close (its own date); the other values are the snapshot's.
  const close = price && price.period !== (cap ?? pe ?? ps ?? dy)?.period ? price : undefined;
  if (price && !close) bits.push(`a share price of ${facts.v(price)}`);
  if (cap) bits.push(`a market capitalisation of ${facts.v(cap)}`);
  if (pe) bits.push(`a P/E of ${facts.v(pe)}`);
  if (ps) bits.push(`a price-to-sales ratio of ${facts.v(ps)}`);
  if (dy) bits.push(`a dividend yield of ${facts.v(dy)}`);
  const date = (cap ?? pe ?? ps ?? dy ?? price)?.period;
  const last = close ? ` The last close was ${facts.v(close)} (${close.period}).` : '';
  if (bits.length === 0 || !date)
    return last ? `Without statements, growth, margins and cash flow cannot be assessed.${last}` : undefined;
  return `Without statements, growth, margins and cash flow cannot be assessed.${last} The market snapshot of ${date} shows ${joinList(bits)}.`;
}

/** Paragraphs of the Fundamentals section. */
export function fundamentalsSection(facts: Facts): string[] {
  if (facts.empty('fundamentals')) return [facts.reason('fundamentals')];
  if (!facts.get('fundamentals', 'revenue')) {
    return [facts.reason('fundamentals'), snapshot(facts)].filter((p): p is string => !!p);
  }
  const gaps = [facts.missing('financialsQuarterly')].filter((g): g is string => !!g);
  const paras = [table(facts), growth(facts), margins(facts), cash(facts), valuation(facts)].filter(
    (p): p is string => !!p,
  );
  if (gaps.length > 0) paras.push(joinList(gaps));
  return paras;
}
