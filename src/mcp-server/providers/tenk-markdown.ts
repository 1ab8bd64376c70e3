/**
 * Parser for markdown renderings of 10-K financial statements (income statement, balance sheet, cash flow), as
 * found in `sec/10k_extracts/*.md`. Row labels are messy (segment members are mixed in, shown in italics); the
 * parser reads only the plain (non-italic) rows and maps them to line items by label patterns. Values are scaled by
 * the unit the table states ("In millions" → × 1,000,000), except per-share figures.
 */
import { type DebtPart, type DebtPartName, totalDebt } from '../../definitions/debt.js';
import type { LineItem, Source, SourcedValue, StatementPeriod } from '../shapes.js';

/** A parsed markdown statement: column period-end dates (ISO) and plain rows (label → one value per column). */
export interface MarkdownStatement {
  /** Multiplier for money and share counts stated in the table header (1, 1e3 or 1e6). */
  scale: number;
  columns: string[];
  rows: { label: string; values: (number | null)[] }[];
}

const MONTHS: Record<string, string> = {
  jan: '01',
  feb: '02',
  mar: '03',
  apr: '04',
  may: '05',
  jun: '06',
  jul: '07',
  aug: '08',
  sep: '09',
  oct: '10',
  nov: '11',
  dec: '12',
};

function isoFromHeader(cell: string): string | null {
  const m = /([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4})/.exec(cell);
  if (!m) return null;
  const mm = MONTHS[(m[1] ?? '').toLowerCase()];
  return mm ? `${m[3]}-${mm}-${(m[2] ?? '').padStart(2, '0')}` : null;
}

/** Parse a number cell such as `$97,690`, `$(350)`, `2.23` or an empty cell (null). */
export function parseMoneyCell(cell: string): number | null {
  const t = cell.replace(/[$\s,]/g, '');
  if (t === '' || t === '—' || t === '-') return null;
  const neg = /^\(.*\)$/.test(t);
  const n = Number(t.replace(/[()]/g, ''));
  if (!Number.isFinite(n)) return null;
  return neg ? -n : n;
}

/** Parse one markdown statement table. Italic rows (`*label*`) and section headers (`**label**`) are dropped. */
export function parseMarkdownStatement(md: string): MarkdownStatement {
  const scale = /in millions/i.test(md) ? 1e6 : /in thousands/i.test(md) ? 1e3 : 1;
  const lines = md.split('\n').filter((l) => l.trim().startsWith('|'));
  const split = (l: string): string[] => l.trim().replace(/^\|/, '').replace(/\|$/, '').split('|');
  const header = lines[0] ? split(lines[0]) : [];
  const columns = header.slice(1).map((c) => isoFromHeader(c) ?? '');
  const rows: MarkdownStatement['rows'] = [];
  for (const line of lines.slice(2)) {
    const cells = split(line);
    const rawLabel = (cells[0] ?? '').trim();
    if (rawLabel.startsWith('*')) continue;
    rows.push({ label: rawLabel, values: cells.slice(1).map(parseMoneyCell) });
  }
  return { scale, columns, rows };
}

type Rule = { item: LineItem; re: RegExp; perShare?: boolean; negate?: boolean; sum?: boolean };

/** Label rules: the first plain row matching wins (rows with `sum` are added up). */
const RULES: Rule[] = [
  { item: 'revenue', re: /^(contract revenue|total revenues?|revenues?|net sales|total net sales)$/i },
  { item: 'costOfRevenue', re: /^(total )?cost of (revenues?|goods and services sold|sales)$/i },
  { item: 'grossProfit', re: /^gross (profit|margin)$/i },
  { item: 'researchAndDevelopment', re: /^research and development( expense)?$/i },
  { item: 'operatingIncome', re: /^operating income( \(loss\))?$/i },
  { item: 'netIncome', re: /^net income( \(loss\))?$/i },
  { item: 'epsBasic', re: /^earnings per share \(basic\)$/i, perShare: true },
  { item: 'epsDiluted', re: /^earnings per share \(diluted\)$/i, perShare: true },
  { item: 'dilutedShares', re: /^shares outstanding \(diluted\)$/i },
  { item: 'operatingCashFlow', re: /^net cash (from|provided by) operating activities$/i },
  { item: 'capitalExpenditure', re: /^payments for property, plant and equipment$/i, negate: true },
  { item: 'cashAndEquivalents', re: /^cash and cash equivalents$/i },
  { item: 'shortTermInvestments', re: /^short-term investments$/i },
  { item: 'totalAssets', re: /^total assets$/i },
  { item: 'totalLiabilities', re: /^total liabilities$/i },
  { item: 'shareholdersEquity', re: /^total (stockholders|shareholders)['’] equity$/i },
  { item: 'longTermDebt', re: /^(long[- ]term debt|debt and finance leases, net of current portion)$/i },
];

/**
 * Debt rows of a balance sheet, by the debt line they are (see `definitions/debt.ts`): short-term debt (commercial
 * paper; Microsoft's extract also labels its current portion of long-term debt "Short Term Debt"), the current
 * portion, and the non-current part; rows naming finance leases carry them on the debt line (Tesla).
 */
const DEBT_ROWS: [DebtPartName, RegExp][] = [
  ['commercial paper', /^short-term debt$/i],
  ['current portion of long-term debt', /^(short term debt|current portion of (long-term )?debt.*)$/i],
  ['non-current long-term debt', /^(long[- ]term debt|debt and finance leases, net of current portion)$/i],
];

/** What a 10-K statement set is: the filing it came from and the fiscal year of its first column. */
export interface TenKFiling {
  /** Provider id for sources, e.g. `sec-10k`. */
  provider: string;
  /** Accession number, e.g. `0000950170-25-100235`. */
  accession: string;
  /** Filing date (ISO). */
  filed: string;
  /** File name(s) the tables came from, for `source.ref`. */
  files: string[];
  /** SEC filing index URL. */
  url?: string;
}

/**
 * Turn parsed 10-K statements into annual periods (newest first), one per column date. Fiscal year = year of the
 * period end (adjusted for 52/53-week years ending in early January). Capex is a positive outflow; free cash flow is
 * computed where operating cash flow and capex exist. Money in whole USD.
 */
export function tenKToPeriods(statements: MarkdownStatement[], filing: TenKFiling): StatementPeriod[] {
  const byEnd = new Map<string, StatementPeriod>();
  for (const st of statements) {
    st.columns.forEach((end, col) => {
      if (!end) return;
      const fy = new Date(Date.parse(end) - 7 * 86_400_000).getUTCFullYear();
      const period = byEnd.get(end) ?? { fiscalYear: fy, periodEnd: end, label: `FY${fy}`, items: {} };
      byEnd.set(end, period);
      const source: Source = {
        provider: filing.provider,
        ref: `10-K accn ${filing.accession} (${filing.files.join(', ')})`,
        period: period.label,
        asOf: filing.filed,
      };
      if (filing.url) source.url = filing.url;
      const put = (item: LineItem, value: number): void => {
        if (period.items[item] === undefined) period.items[item] = { value, source } satisfies SourcedValue;
      };
      const debt: DebtPart[] = [];
      for (const row of st.rows) {
        const raw = row.values[col];
        if (raw === null || raw === undefined) continue;
        const label = row.label.trim();
        const debtRow = DEBT_ROWS.find(([, re]) => re.test(label));
        if (debtRow) debt.push({ name: debtRow[0], value: Math.round(raw * st.scale), source });
        const rule = RULES.find((r) => r.re.test(label));
        if (!rule) continue;
        const scaled = rule.perShare ? raw : Math.round(raw * st.scale);
        put(rule.item, rule.negate ? Math.abs(scaled) : scaled);
      }
      const total = totalDebt(debt);
      if (total && period.items.totalDebt === undefined) period.items.totalDebt = total;
    });
  }
  for (const p of byEnd.values()) {
    const ocf = p.items.operatingCashFlow;
    const capex = p.items.capitalExpenditure;
    if (ocf && capex && !p.items.freeCashFlow) {
      p.items.freeCashFlow = {
        value: ocf.value - capex.value,
        source: { ...ocf.source, ref: `${ocf.source.ref}; computed: operating cash flow − capex` },
      };
    }
  }
  return [...byEnd.values()].sort((a, b) => b.periodEnd.localeCompare(a.periodEnd));
}
