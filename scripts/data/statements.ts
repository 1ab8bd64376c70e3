/**
 * Financial statements for the bundled data set, per ticker, merged from three sources in priority order: SEC
 * companyfacts (AAPL, NVDA, GOOGL), the 10-K Markdown extracts (MSFT, TSLA), then the yfinance-derived tables. Every
 * line item keeps its own source (filing or file, period). USD only: other currencies are left out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fiscalConventionOf } from '../../src/definitions/fiscal.js';
import type { TickerBundle } from '../../src/mcp-server/providers/bundle-format.js';
import { parseCompanyFacts, secFilingIndexUrl } from '../../src/mcp-server/providers/sec-companyfacts.js';
import { parseMarkdownStatement, tenKToPeriods } from '../../src/mcp-server/providers/tenk-markdown.js';
import { yfinanceToPeriods } from '../../src/mcp-server/providers/yfinance-statements.js';
import type { Source, StatementPeriod } from '../../src/mcp-server/shapes.js';
import { HELIAR, HELIAR_AS_OF, NON_USD_STATEMENTS, SAME_ISSUER, SAMPLE, type SharedSources } from './sources.js';

function companyFacts(
  src: SharedSources,
  ticker: string,
): { annual: StatementPeriod[]; quarterly: StatementPeriod[] } | undefined {
  const t = src.companyfactsTickers.includes(ticker) ? ticker : SAME_ISSUER[ticker];
  if (!t || !src.companyfactsTickers.includes(t)) return undefined;
  const json = JSON.parse(gunzipSync(readFileSync(src.path('sec/companyfacts', `${t}.json.gz`))).toString('utf8'));
  const parsed = parseCompanyFacts(json, { since: '2016-01-01' });
  return { annual: parsed.annual, quarterly: parsed.quarterly.filter((q) => q.periodEnd >= '2020-01-01') };
}

function tenK(src: SharedSources, ticker: string): StatementPeriod[] | undefined {
  const extracts = src.list('sec/10k_extracts');
  const files = extracts.filter((f) => f.startsWith(`${ticker}_10-K_`) && f.endsWith('.md'));
  const meta = extracts.find((f) => f.startsWith(`${ticker}_10-K_`) && f.endsWith('_filing.json'));
  if (files.length === 0 || !meta) return undefined;
  const filing = JSON.parse(readFileSync(src.path('sec/10k_extracts', meta), 'utf8')) as Record<
    string,
    string | number
  >;
  const order = ['IncomeStatement', 'BalanceSheet', 'CashFlow'];
  files.sort((a, b) => order.findIndex((o) => a.includes(o)) - order.findIndex((o) => b.includes(o)));
  const accession = String(filing.accession_number);
  return tenKToPeriods(
    files.map((f) => parseMarkdownStatement(readFileSync(src.path('sec/10k_extracts', f), 'utf8'))),
    {
      provider: 'sec-10k',
      accession,
      filed: String(filing.filing_date),
      files: [`sec/10k_extracts/${ticker}_10-K_*.md`],
      url: secFilingIndexUrl(String(filing.cik), accession),
    },
  );
}

function yfinance(src: SharedSources, ticker: string, freq: 'annual' | 'quarterly'): StatementPeriod[] | undefined {
  const t = src.yfTickers.includes(ticker) ? ticker : SAME_ISSUER[ticker];
  if (!t || !src.yfTickers.includes(t) || NON_USD_STATEMENTS[t]) return undefined;
  const dir = `fundamentals/heliar-k_yfinance/${t}`;
  const read = (kind: string, f: 'annual' | 'quarterly') => {
    const file = `${kind}_${f}.csv`;
    return existsSync(src.path(dir, file)) ? { file, rows: src.csv(dir, file) } : { file, rows: [] };
  };
  const annualDates = read('income', 'annual')
    .rows.map((r) => r.date ?? '')
    .filter(Boolean);
  const fyeMonth = Number((annualDates[annualDates.length - 1] ?? '2000-12-31').slice(5, 7));
  const tables = ['income', 'balance', 'cashflow'].map((k) => read(k, freq));
  const origin = {
    naming: fiscalConventionOf(ticker).naming,
    provider: 'yfinance-heliar-k',
    refPrefix: `${dir} (${HELIAR} data/financials, ${SAMPLE})`,
    asOf: HELIAR_AS_OF,
  };
  return yfinanceToPeriods(tables, freq, fyeMonth, origin);
}

/** Merge period lists by label: earlier lists win per item, later lists fill gaps and add periods. */
function mergePeriods(...lists: (StatementPeriod[] | undefined)[]): StatementPeriod[] {
  const byLabel = new Map<string, StatementPeriod>();
  for (const l of lists) {
    for (const period of l ?? []) {
      const have = byLabel.get(period.label);
      if (!have) {
        byLabel.set(period.label, structuredClone(period));
        continue;
      }
      for (const [k, v] of Object.entries(period.items)) {
        const key = k as keyof StatementPeriod['items'];
        if (have.items[key] === undefined && v) have.items[key] = v;
      }
    }
  }
  return [...byLabel.values()].sort((a, b) => b.periodEnd.localeCompare(a.periodEnd));
}

/**
 * Annual and quarterly statements of `ticker`, newest first, with up to 40 distinct sources; `undefined` when no
 * source has any.
 */
export function financials(src: SharedSources, ticker: string): TickerBundle['financials'] {
  const cf = companyFacts(src, ticker);
  const annual = mergePeriods(cf?.annual, tenK(src, ticker), yfinance(src, ticker, 'annual'));
  const quarterly = mergePeriods(cf?.quarterly, yfinance(src, ticker, 'quarterly'));
  if (annual.length === 0 && quarterly.length === 0) return undefined;
  const seen = new Map<string, Source>();
  for (const period of [...annual, ...quarterly]) {
    for (const v of Object.values(period.items)) {
      if (!v) continue;
      const key = `${v.source.provider}|${v.source.ref.replace(/^(derived|computed): .*/, '')}`;
      if (!seen.has(key) && !v.source.ref.startsWith('derived') && !v.source.ref.startsWith('computed'))
        seen.set(key, {
          provider: v.source.provider,
          ref: v.source.ref,
          ...(v.source.url ? { url: v.source.url } : {}),
        });
    }
  }
  const convention = fiscalConventionOf(ticker);
  const fiscalYear = cf
    ? { ...convention, basis: `SEC companyfacts fy of each 10-K (its DocumentFiscalYearFocus); ${convention.basis}` }
    : convention;
  return { fiscalYear, annual, quarterly, sources: [...seen.values()].slice(0, 40) };
}
