/**
 * The audit's own recomputation of a report's figures from the raw files, by the definitions in README's "How each
 * figure is defined" table, with the readers of `./readers.ts` only. Each expected figure is keyed like the report's
 * (`name|period`) and says how it was had.
 */
import { existsSync, readdirSync } from 'node:fs';
import { at, n, type Row, readCompanyFacts, readCsv, readTenKTable, type SecFact } from './readers.js';

/** One recomputed figure: value in the report's unit (USD, %, x, USD/share, count) and its working. */
export interface Expected {
  name: string;
  period: string;
  value: number;
  how: string;
}

type Items = Partial<Record<Item, { value: number; how: string }>>;
type Item =
  | 'revenue'
  | 'netIncome'
  | 'opIncome'
  | 'grossProfit'
  | 'eps'
  | 'ocf'
  | 'capex'
  | 'cash'
  | 'sti'
  | 'debt'
  | 'equity'
  | 'shares';
interface Period {
  label: string;
  end: string;
  items: Items;
}

/** Companies naming fiscal years after the year they begin in (their 10-K covers). */
const START_YEAR = new Set(['HD']);
/** Tickers sharing another class's files (statements, insider rows, bars). */
const OTHER_CLASS: Record<string, string> = { GOOGL: 'GOOG', GOOG: 'GOOGL' };
/** Class A = 1,500 Class B (Berkshire); its share count is in Class A equivalents. */
const BRK_RATIO = 1500;

const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 864e5;
const fyLabel = (ticker: string, end: string, fyeMonth: number): number => {
  const m = Number(end.slice(5, 7));
  const y = Number(end.slice(0, 4)) + (m > fyeMonth ? 1 : 0);
  return START_YEAR.has(ticker) && fyeMonth !== 12 ? y - 1 : y;
};
const put = (items: Items, k: Item, value: number | undefined, how: string) => {
  if (value !== undefined && items[k] === undefined) items[k] = { value, how };
};

/** SEC companyfacts: fiscal years labelled by SEC's fy of the 10-K that first reported them; quarterly EPS. */
function secStatements(file: string): { annual: Period[]; quarters: Map<string, number> } | undefined {
  const facts = readCompanyFacts(file);
  if (!facts) return undefined;
  const first = (tags: string[], pick: (f: SecFact) => boolean, unit = 'USD'): SecFact | undefined => {
    for (const t of tags) {
      const hit = facts(t, unit)
        .filter(pick)
        .sort((a, b) => b.filed.localeCompare(a.filed))[0];
      if (hit) return hit;
    }
    return undefined;
  };
  const revTags = ['RevenueFromContractWithCustomerExcludingAssessedTax', 'Revenues', 'SalesRevenueNet'];
  const yearly = (f: SecFact) =>
    !!f.start && f.form.startsWith('10-K') && days(f.start, f.end) > 350 && days(f.start, f.end) < 380;
  const ends = [
    ...new Set(
      revTags.flatMap((t) =>
        facts(t)
          .filter(yearly)
          .map((f) => f.end),
      ),
    ),
  ]
    .sort()
    .reverse();
  const labelOf = (end: string) => {
    const own = revTags
      .flatMap((t) => facts(t))
      .filter((f) => f.end === end && f.fp === 'FY' && f.form.startsWith('10-K'))
      .sort((a, b) => a.filed.localeCompare(b.filed))[0];
    return own ? own.fy : Number(end.slice(0, 4));
  };
  const annual = ends.slice(0, 6).map((end): Period => {
    const items: Items = {};
    const dur = (tags: string[], unit = 'USD') => first(tags, (f) => yearly(f) && f.end === end, unit)?.val;
    const inst = (tags: string[], unit = 'USD') =>
      first(tags, (f) => !f.start && f.end === end && /^10-[KQ]/.test(f.form), unit)?.val;
    put(items, 'revenue', dur(revTags), 'SEC revenue');
    put(items, 'netIncome', dur(['NetIncomeLoss']), 'SEC NetIncomeLoss');
    put(items, 'opIncome', dur(['OperatingIncomeLoss']), 'SEC OperatingIncomeLoss');
    put(items, 'eps', dur(['EarningsPerShareDiluted'], 'USD/shares'), 'SEC EarningsPerShareDiluted');
    put(items, 'ocf', dur(['NetCashProvidedByUsedInOperatingActivities']), 'SEC operating cash flow');
    const capex = dur(['PaymentsToAcquirePropertyPlantAndEquipment', 'PaymentsToAcquireProductiveAssets']);
    put(items, 'capex', capex === undefined ? undefined : Math.abs(capex), 'SEC capex');
    put(items, 'cash', inst(['CashAndCashEquivalentsAtCarryingValue']), 'SEC cash');
    put(
      items,
      'sti',
      inst(['ShortTermInvestments', 'MarketableSecuritiesCurrent', 'AvailableForSaleSecuritiesDebtSecuritiesCurrent']),
      'SEC short-term investments',
    );
    const cp = inst(['CommercialPaper', 'ShortTermBorrowings']);
    const cur = inst(['LongTermDebtCurrent', 'DebtCurrent']);
    const non = inst(['LongTermDebtNoncurrent']);
    const parts = [cp, cur, non].filter((x): x is number => x !== undefined);
    const debt = cur === undefined && non === undefined ? inst(['LongTermDebt']) : undefined;
    if (parts.length > 0 || debt !== undefined)
      put(
        items,
        'debt',
        parts.reduce((s, x) => s + x, debt ?? 0),
        'SEC CommercialPaper + LongTermDebtCurrent + LongTermDebtNoncurrent',
      );
    put(items, 'equity', inst(['StockholdersEquity']), 'SEC StockholdersEquity');
    put(items, 'shares', inst(['CommonStockSharesOutstanding'], 'shares'), 'SEC CommonStockSharesOutstanding');
    return { label: `FY${labelOf(end)}`, end, items };
  });
  const quarters = new Map<string, number>();
  for (const f of facts('EarningsPerShareDiluted', 'USD/shares')) {
    if (!f.start || days(f.start, f.end) < 80 || days(f.start, f.end) > 100 || !/^Q[1-3]$/.test(f.fp)) continue;
    if (!f.form.startsWith('10-Q')) continue;
    // The 10-Q that first reported the quarter names it (a later 10-Q repeats it as a comparative).
    const firstFiling = facts('EarningsPerShareDiluted', 'USD/shares')
      .filter((g) => g.start === f.start && g.end === f.end && g.form.startsWith('10-Q'))
      .sort((a, b) => a.filed.localeCompare(b.filed))[0];
    if (firstFiling) quarters.set(`${firstFiling.fp} FY${firstFiling.fy}|${f.end}`, firstFiling.val);
  }
  return { annual, quarters };
}

/** 10-K Markdown tables (MSFT, TSLA): the rows the definitions need. */
function tenKStatements(dir: string, ticker: string): Period[] {
  const folder = at(dir, 'sec/10k_extracts');
  const income = (existsSync(folder) ? readdirSync(folder) : []).find(
    (f) => f.startsWith(`${ticker}_10-K_`) && f.endsWith('_IncomeStatement.md'),
  );
  if (!income) return [];
  const tables = ['IncomeStatement', 'BalanceSheet', 'CashFlow'].map((k) =>
    readTenKTable(at(folder, income.replace('IncomeStatement', k))),
  );
  const columns = tables[0]?.columns.filter(Boolean) ?? [];
  return columns.map((end): Period => {
    const items: Items = {};
    const row = (re: RegExp): number | undefined => {
      for (const t of tables) {
        const ci = t.columns.indexOf(end);
        for (const [label, vals] of t.rows) if (re.test(label) && ci >= 0 && vals[ci] !== undefined) return vals[ci];
      }
      return undefined;
    };
    put(items, 'revenue', row(/^(contract revenue|total revenues?|revenues?|total net sales)$/i), '10-K revenue row');
    put(items, 'netIncome', row(/^net income$/i), '10-K net income row');
    put(items, 'opIncome', row(/^operating income$/i), '10-K operating income row');
    put(items, 'eps', row(/^earnings per share \(diluted\)$/i), '10-K diluted EPS row');
    put(items, 'equity', row(/^total (stockholders|shareholders)['’] equity$/i), '10-K equity row');
    put(items, 'cash', row(/^cash and cash equivalents$/i), '10-K cash row');
    put(items, 'ocf', row(/^net cash (from|provided by) operating activities$/i), '10-K operating cash flow row');
    const capex = row(/^payments for property, plant and equipment$/i);
    put(items, 'capex', capex === undefined ? undefined : Math.abs(capex), '10-K capex row');
    put(items, 'sti', row(/^short-term investments$/i), '10-K short-term investments row');
    const debtRows = [
      /^short-term debt$/i,
      /^(short term debt|current portion of (long-term )?debt.*)$/i,
      /^(long[- ]term debt|debt and finance leases, net of current portion)$/i,
    ];
    const debt = debtRows.map(row).filter((x): x is number => x !== undefined);
    if (debt.length > 0)
      put(
        items,
        'debt',
        debt.reduce((s, x) => s + x, 0),
        '10-K debt rows',
      );
    return { label: `FY${fyLabel(ticker, end, Number(end.slice(5, 7)))}`, end, items };
  });
}

/** yfinance tables: annual periods and quarterly diluted EPS, labelled by the company's naming. */
function yfStatements(
  dir: string,
  ticker: string,
): { annual: Period[]; quarters: Map<string, number>; shares: { end: string; value: number }[] } {
  const base = at(dir, 'fundamentals/heliar-k_yfinance', ticker);
  const read = (f: string) => readCsv(at(base, f));
  const inc = read('income_annual.csv');
  const fye = Number(
    (
      inc
        .map((r) => r.date ?? '')
        .sort()
        .at(-1) ?? '2000-12-31'
    ).slice(5, 7),
  );
  const byDate = new Map<string, Row>();
  for (const f of ['income_annual.csv', 'balance_annual.csv', 'cashflow_annual.csv'])
    for (const r of read(f)) byDate.set(r.date ?? '', { ...(byDate.get(r.date ?? '') ?? {}), ...r });
  const opCol = inc.some((r) => n(r['Total Operating Income As Reported']) !== undefined)
    ? 'Total Operating Income As Reported'
    : 'Operating Income';
  const annual = [...byDate.entries()]
    .filter(
      ([d, r]) =>
        /^\d{4}-\d{2}-\d{2}$/.test(d) && (n(r['Total Revenue']) !== undefined || n(r['Net Income']) !== undefined),
    )
    .map(([end, r]): Period => {
      const items: Items = {};
      put(items, 'revenue', n(r['Total Revenue']), 'yfinance Total Revenue');
      put(items, 'netIncome', n(r['Net Income']), 'yfinance Net Income');
      put(items, 'opIncome', n(r[opCol]), `yfinance ${opCol}`);
      put(items, 'grossProfit', n(r['Gross Profit']), 'yfinance Gross Profit');
      put(items, 'eps', n(r['Diluted EPS']), 'yfinance Diluted EPS');
      put(items, 'ocf', n(r['Operating Cash Flow']), 'yfinance Operating Cash Flow');
      const capex = n(r['Capital Expenditure']);
      put(items, 'capex', capex === undefined ? undefined : Math.abs(capex), 'yfinance Capital Expenditure');
      put(items, 'cash', n(r['Cash And Cash Equivalents']), 'yfinance Cash And Cash Equivalents');
      put(items, 'sti', n(r['Other Short Term Investments']), 'yfinance Other Short Term Investments');
      const short = n(r['Current Debt']) ?? sumOf(n(r['Commercial Paper']), n(r['Other Current Borrowings']));
      const lt = n(r['Long Term Debt']);
      if (short !== undefined || lt !== undefined)
        put(items, 'debt', (short ?? 0) + (lt ?? 0), 'yfinance Current Debt + Long Term Debt');
      put(items, 'equity', n(r['Stockholders Equity']), 'yfinance Stockholders Equity');
      return { label: `FY${fyLabel(ticker, end, fye)}`, end, items };
    });
  const quarters = new Map<string, number>();
  for (const r of read('income_quarterly.csv')) {
    const d = r.date ?? '';
    const eps = n(r['Diluted EPS']);
    if (!/^\d{4}-/.test(d) || eps === undefined) continue;
    const after = (Number(d.slice(5, 7)) - fye + 12) % 12;
    const q = after === 0 ? 4 : Math.ceil(after / 3);
    quarters.set(`Q${q} FY${fyLabel(ticker, d, fye)}|${d}`, eps);
  }
  const shares = ['balance_annual.csv', 'balance_quarterly.csv']
    .flatMap((f) => read(f))
    .map((r) => ({ end: r.date ?? '', value: n(r['Ordinary Shares Number']) ?? n(r['Share Issued']) ?? 0 }))
    .filter((s) => s.value > 0);
  return { annual, quarters, shares };
}

function sumOf(...xs: (number | undefined)[]): number | undefined {
  const have = xs.filter((x): x is number => x !== undefined);
  return have.length > 0 ? have.reduce((s, x) => s + x, 0) : undefined;
}

/** Daily bars of a symbol (IBKR, else Stooq), oldest first. */
function bars(dir: string, symbol: string): { date: string; high: number; low: number; close: number }[] {
  const ib = readCsv(at(dir, 'prices/heliar-k_ibkr_daily', `${symbol}.csv`));
  const rows =
    ib.length > 0
      ? ib.map((r) => [r.date, r.high, r.low, r.close])
      : readCsv(at(dir, 'prices/tessera_stooq_adjusted', `${symbol}.csv`)).map((r) => [r.Date, r.High, r.Low, r.Close]);
  return rows
    .map(([date = '', h, l, c]) => ({ date, high: n(h) ?? 0, low: n(l) ?? 0, close: n(c) ?? 0 }))
    .filter((b) => b.close > 0)
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** Every figure the audit recomputes for `ticker`, from the shared data directory `dir`. */
export function recompute(dir: string, ticker: string): Expected[] {
  const out: Expected[] = [];
  const add = (name: string, period: string, value: number | undefined, how: string) => {
    if (value !== undefined && Number.isFinite(value)) out.push({ name, period, value, how });
  };
  const secFile = ['AAPL', 'NVDA', 'GOOGL'].includes(ticker) ? ticker : OTHER_CLASS[ticker] === 'GOOGL' ? 'GOOGL' : '';
  const sec = secFile ? secStatements(at(dir, 'sec/companyfacts', `${secFile}.json.gz`)) : undefined;
  const yfTicker =
    readCsv(at(dir, 'fundamentals/heliar-k_yfinance', ticker, 'income_annual.csv')).length > 0
      ? ticker
      : (OTHER_CLASS[ticker] ?? ticker);
  const yf = ['SAMSUNG', 'SKHYNIX', 'TSM'].includes(yfTicker) ? undefined : yfStatements(dir, yfTicker);
  // Source priority per item: SEC companyfacts, then the 10-K tables, then yfinance.
  const byLabel = new Map<string, Period>();
  for (const list of [sec?.annual, tenKStatements(dir, ticker), yf?.annual])
    for (const p of list ?? []) {
      const have = byLabel.get(p.label);
      if (!have) byLabel.set(p.label, { ...p, items: { ...p.items } });
      else
        for (const [k, v] of Object.entries(p.items))
          if (have.items[k as Item] === undefined) have.items[k as Item] = v;
    }
  const years = [...byLabel.values()].filter((p) => p.items.revenue).sort((a, b) => b.end.localeCompare(a.end));
  const latest = years[0];
  for (const [i, p] of years.slice(0, 4).entries()) {
    const it = p.items;
    const rev = it.revenue?.value;
    add('revenue', p.label, rev, it.revenue?.how ?? '');
    add('net_income', p.label, it.netIncome?.value, it.netIncome?.how ?? '');
    add('eps_diluted', p.label, it.eps?.value, it.eps?.how ?? '');
    if (rev && rev > 0) {
      if (it.opIncome)
        add('operating_margin', p.label, (it.opIncome.value / rev) * 100, `${it.opIncome.how} ÷ revenue`);
      if (it.netIncome) add('net_margin', p.label, (it.netIncome.value / rev) * 100, 'net income ÷ revenue');
      const prior = years[i + 1];
      const pr = prior?.items.revenue?.value;
      if (prior && pr && pr > 0 && Number(prior.label.slice(2)) === Number(p.label.slice(2)) - 1)
        add('revenue_growth_yoy', p.label, (rev / pr - 1) * 100, `revenue ${p.label} ÷ ${prior.label} − 1`);
    }
    if (it.ocf && it.capex)
      add('free_cash_flow', p.label, it.ocf.value - it.capex.value, 'operating cash flow − capex');
  }
  if (latest) {
    const it = latest.items;
    const cash = it.cash ? it.cash.value + (it.sti?.value ?? 0) : undefined;
    add('cash_and_investments', latest.label, cash, 'cash + short-term investments');
    add('total_debt', latest.label, it.debt?.value, it.debt?.how ?? '');
    if (cash !== undefined && it.debt) add('net_cash', latest.label, cash - it.debt.value, 'cash − total debt');
    if (cash !== undefined && it.debt) add('net_debt', latest.label, it.debt.value - cash, 'total debt − cash');
    if (it.debt && it.equity && it.equity.value > 0)
      add('debt_to_equity', latest.label, it.debt.value / it.equity.value, 'total debt ÷ equity');
    add('shareholders_equity', latest.label, it.equity?.value, it.equity?.how ?? '');
  }

  // Prices: the ticker's own class (GOOGL's own close from the S&P 500 snapshot history, whose price is the
  // previous session's close); technicals from the bars the report reads.
  const own = bars(dir, ticker);
  const chart = own.length > 0 ? own : bars(dir, OTHER_CLASS[ticker] ?? ticker);
  const last = chart.at(-1);
  if (last) {
    const closes = chart.map((b) => b.close);
    const mean = (k: number) => (closes.length >= k ? closes.slice(-k).reduce((s, x) => s + x, 0) / k : undefined);
    add('last_close', last.date, last.close, 'last bar');
    add('sma50', last.date, mean(50), 'mean of the last 50 closes');
    add('sma200', last.date, mean(200), 'mean of the last 200 closes');
    const year = chart.filter((b) => days(b.date, last.date) < 365);
    add('high_52w', last.date, Math.max(...year.map((b) => Math.max(b.high, b.close))), '52-week high');
    add('low_52w', last.date, Math.min(...year.map((b) => Math.min(b.low, b.close))), '52-week low');
  }
  const targets = readCsv(at(dir, 'analyst/heliar-k_ndx_targets.csv'))
    .filter((r) => r.ticker === ticker)
    .sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
  const cons = targets.at(-1);
  let price: { value: number; date: string } | undefined;
  const ownLast = own.at(-1);
  if (ownLast) price = { value: ownLast.close, date: ownLast.date };
  else if (cons && n(cons.price)) price = { value: n(cons.price) as number, date: cons.date ?? '' };
  if (cons) {
    const p = n(cons.price) ?? 0;
    // Consensus targets are stated to the cent (the upside is computed from that).
    const mean = Math.round((n(cons.target_mean) ?? 0) * 100) / 100;
    add('target_mean', cons.date ?? '', mean, 'consensus target mean');
    add('analyst_count', cons.date ?? '', n(cons.analysts), 'consensus analysts');
    add('consensus_price', cons.date ?? '', p, 'consensus price');
    if (p > 0) add('implied_upside', cons.date ?? '', (mean / p - 1) * 100, 'target mean ÷ price − 1');
  }
  if (price) {
    add('price', price.date, price.value, own.length > 0 ? 'own bars' : 'consensus price (own class)');
    // Market cap: price × the newest share count of any source (SEC balance sheet or yfinance).
    const counts = [
      ...(yf?.shares ?? []),
      ...(sec?.annual ?? []).flatMap((p) => (p.items.shares ? [{ end: p.end, value: p.items.shares.value }] : [])),
    ].sort((a, b) => b.end.localeCompare(a.end));
    const secQ = secFile ? latestSecShares(at(dir, 'sec/companyfacts', `${secFile}.json.gz`)) : undefined;
    const newest = [secQ, counts[0]]
      .filter((x): x is { end: string; value: number } => !!x)
      .sort((a, b) => b.end.localeCompare(a.end))[0];
    if (newest)
      add(
        'market_cap',
        price.date,
        price.value * newest.value * (ticker === 'BRK.B' ? BRK_RATIO : 1),
        `price × shares at ${newest.end}`,
      );
    // P/E on trailing twelve months: the last four quarters newer than the last fiscal year.
    const q = new Map<string, { end: string; eps: number }>();
    for (const src of [sec?.quarters, yf?.quarters])
      for (const [k, v] of src ?? []) {
        const [label = '', end = ''] = k.split('|');
        if (!q.has(label)) q.set(label, { end, eps: v });
      }
    const ttm = latest ? ttmOf(q, years, latest) : undefined;
    if (ttm) {
      add('eps_ttm', ttm.basis, ttm.value, 'sum of the last four quarters');
      if (ttm.value > 0) add('pe_ratio', price.date, price.value / ttm.value, `price ÷ EPS ${ttm.basis}`);
    } else if (latest?.items.eps && latest.items.eps.value > 0)
      add('pe_ratio', price.date, price.value / latest.items.eps.value, `price ÷ EPS ${latest.label}`);
  }
  out.push(...insider(dir, ticker, chart));
  return out;
}

function latestSecShares(file: string): { end: string; value: number } | undefined {
  const facts = readCompanyFacts(file);
  const f = facts?.('CommonStockSharesOutstanding', 'shares')
    .filter((x) => !x.start)
    .sort((a, b) => b.end.localeCompare(a.end) || b.filed.localeCompare(a.filed))[0];
  return f ? { end: f.end, value: f.val } : undefined;
}

function ttmOf(
  q: Map<string, { end: string; eps: number }>,
  years: Period[],
  latest: Period,
): { value: number; basis: string } | undefined {
  const newest = [...q.entries()].sort((a, b) => b[1].end.localeCompare(a[1].end))[0];
  if (!newest || newest[1].end <= latest.end) return undefined;
  let [fq, fy] = (/^Q(\d) FY(\d{4})$/.exec(newest[0]) ?? []).slice(1).map(Number) as [number, number];
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    let eps = q.get(`Q${fq} FY${fy}`)?.eps;
    if (eps === undefined && fq === 4) {
      const year = years.find((y) => y.label === `FY${fy}`)?.items.eps?.value;
      const parts = [1, 2, 3].map((k) => q.get(`Q${k} FY${fy}`)?.eps);
      if (year !== undefined && parts.every((x) => x !== undefined))
        eps = year - parts.reduce((s, x) => s + (x ?? 0), 0);
    }
    if (eps === undefined) return undefined;
    sum += eps;
    fq -= 1;
    if (fq === 0) [fq, fy] = [4, fy - 1];
  }
  return { value: sum, basis: `TTM to ${newest[0]}` };
}

/** Insider totals: open-market rows of the 365 days to the newest filing, price within 25 % of a class's day range. */
function insider(dir: string, ticker: string, chart: { date: string; high: number; low: number }[]): Expected[] {
  let rows = readCsv(at(dir, 'insider/heliar-k_form4', `${ticker}.csv`));
  if (rows.length === 0) rows = readCsv(at(dir, 'insider/heliar-k_form4', `${OTHER_CLASS[ticker] ?? ticker}.csv`));
  if (rows.length === 0) return [];
  const to =
    rows
      .map((r) => r.filing_date ?? '')
      .sort()
      .at(-1) ?? '';
  const from = new Date(Date.parse(to) - 365 * 864e5).toISOString().slice(0, 10);
  const ratios = ticker === 'BRK.B' ? [1, BRK_RATIO] : [1];
  const kept: Row[] = [];
  let left = 0;
  for (const r of rows) {
    if ((r.filing_date ?? '') <= from || !['P', 'S'].includes(r.code ?? '')) continue;
    const price = n(r.price);
    const day = [...chart].reverse().find((b) => b.date <= (r.transaction_date ?? ''));
    const near = day && days(day.date, r.transaction_date ?? '') <= 3 ? day : undefined;
    const ok =
      price !== undefined &&
      price > 0 &&
      (!near || ratios.some((k) => price >= near.low * k * 0.75 && price <= near.high * k * 1.25));
    if (ok) kept.push(r);
    else left++;
  }
  const value = (r: Row) => Math.abs(n(r.value) ?? (n(r.price) ?? 0) * (n(r.shares) ?? 0));
  const sells = kept.filter((r) => r.code === 'S');
  const buys = kept.filter((r) => r.code === 'P');
  const period = `12 months to ${to}`;
  const sellValue = sells.reduce((s, r) => s + value(r), 0);
  const out: Expected[] = [
    { name: 'insider_sell_value_12m', period, value: sellValue, how: 'Form 4 S rows kept' },
    { name: 'insider_buy_value_12m', period, value: buys.reduce((s, r) => s + value(r), 0), how: 'Form 4 P rows kept' },
    { name: 'insider_sell_count_12m', period, value: sells.length, how: 'Form 4 S rows kept' },
    { name: 'insider_buy_count_12m', period, value: buys.length, how: 'Form 4 P rows kept' },
  ];
  const by = new Map<string, number>();
  for (const r of sells) by.set(r.insider_name ?? '', (by.get(r.insider_name ?? '') ?? 0) + value(r));
  const top = Math.max(0, ...by.values());
  if (by.size > 1 && sellValue > 0)
    out.push({ name: 'insider_top_seller_share', period, value: (top / sellValue) * 100, how: 'largest seller ÷ all' });
  if (left > 0)
    out.push({
      name: 'insider_excluded_count_12m',
      period,
      value: left,
      how: 'P/S rows outside the range or without price',
    });
  return out;
}
