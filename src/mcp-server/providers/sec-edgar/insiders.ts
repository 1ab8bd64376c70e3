/**
 * Insider transactions from live SEC Form 4 filings: the rows of each read filing in the shape the bundled data set
 * has ({@link InsiderTransaction}: insider, English title, code, shares, USD price and value, shares after, accession,
 * share class, and a `problem` for a filing about another issuer), newest first, with the 12-month totals defined
 * in `src/definitions/insider.ts`, and a note naming the filings that could not be read (skipped, never fatal) or
 * were still being fetched when the answer was due.
 */
import { classifyInsiderRow, englishTitle, insiderSummary } from '../../../definitions/insider.js';
import type { InsiderTransaction, InsiderTransactions } from '../../shapes.js';
import { secFilingIndexUrl } from '../sec-companyfacts.js';
import type { Form4Document, Form4Filing } from './form4.js';

/** What became of each Form 4 filing asked for. */
export interface Form4Reading {
  read: { filing: Form4Filing; document: Form4Document }[];
  /** Filings that failed (404, not XML, not a Form 4…), with the reason in a few words. */
  failed: { filing: Form4Filing; reason: string }[];
  /** Filings still being fetched when the answer was due (they go on in the background). */
  pending: Form4Filing[];
}

/**
 * Read `filings` with `load`, all at once (the upstream queue paces them), waiting at most `waitMs` for the whole
 * set: a filing that fails is recorded, not thrown; one not done by then is `pending` (its load goes on).
 */
export async function readForm4Filings(
  filings: readonly Form4Filing[],
  load: (filing: Form4Filing) => Promise<Form4Document>,
  waitMs: number,
): Promise<Form4Reading> {
  const reading: Form4Reading = { read: [], failed: [], pending: [] };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), waitMs);
    timer.unref();
  });
  try {
    await Promise.all(
      filings.map(async (filing) => {
        const outcome = await Promise.race([
          load(filing).then(
            (document) => ({ document }),
            (err: unknown) => ({ reason: err instanceof Error ? err.message : String(err) }),
          ),
          late,
        ]);
        if (outcome === 'late') reading.pending.push(filing);
        else if ('document' in outcome) reading.read.push({ filing, document: outcome.document });
        else reading.failed.push({ filing, reason: outcome.reason });
      }),
    );
  } finally {
    clearTimeout(timer);
  }
  return reading;
}

/** The company researched: its ticker and CIK (10 digits). */
export interface InsiderCompany {
  ticker: string;
  cik: string;
}

/** The rows of one read filing (one per non-derivative transaction), classified against `company`. */
export function form4Rows(filing: Form4Filing, document: Form4Document, company: InsiderCompany): InsiderTransaction[] {
  const names = document.owners.map((o) => o.name);
  const insider = names.join('; ') || 'Unnamed reporting owner';
  const { title, asFiled } = englishTitle(document.owners[0]?.title ?? '');
  const url = secFilingIndexUrl(company.cik, filing.accession);
  return document.transactions.map((t) => {
    const value = t.price !== null && t.price > 0 ? Math.round(t.price * t.shares * 100) / 100 : null;
    const row: InsiderTransaction = {
      filingDate: filing.filingDate,
      transactionDate: t.date,
      insider,
      title,
      code: t.code,
      shares: t.shares,
      price: t.price,
      value,
      sharesAfter: t.sharesAfter,
      accession: filing.accession,
      url,
    };
    if (asFiled) row.titleAsFiled = asFiled;
    const issuer: { issuerCik?: string; issuerTicker?: string } = {};
    // The CIK decides when the filing has one (tickers are written many ways: BRK.B, BRKB, BRK-B).
    if (document.issuer.cik) issuer.issuerCik = document.issuer.cik;
    else if (document.issuer.ticker) issuer.issuerTicker = document.issuer.ticker;
    const cls = classifyInsiderRow({ ...row, ...issuer }, company.ticker, undefined, {
      cik: company.cik,
      tickers: [company.ticker, company.ticker.replace('.', '-'), company.ticker.replace('.', '')],
    });
    row.shareClass = cls.shareClass;
    if (cls.problem) row.problem = cls.problem;
    return row;
  });
}

/** `0001045810-26-000012 (answered HTTP 404)`, the first few. */
function listed(items: { accession: string; reason?: string }[], max = 3): string {
  const shown = items.slice(0, max).map((i) => (i.reason ? `${i.accession} (${i.reason})` : i.accession));
  return `${shown.join(', ')}${items.length > max ? ` and ${items.length - max} more` : ''}`;
}

/** The note of an answer built from `reading`, or undefined when every filing was read. */
export function readingNote(reading: Form4Reading, asked: number): string | undefined {
  if (reading.failed.length === 0 && reading.pending.length === 0) return undefined;
  const parts = [`Read ${reading.read.length} of ${asked} Form 4 filings.`];
  if (reading.failed.length > 0) {
    const failed = reading.failed.map((f) => ({ accession: f.filing.accession, reason: f.reason.replace(/\.$/, '') }));
    parts.push(`Skipped ${reading.failed.length} that could not be read: ${listed(failed)}.`);
  }
  if (reading.pending.length > 0) {
    parts.push(
      `${reading.pending.length} still being fetched from SEC (${listed(reading.pending.map((f) => ({ accession: f.accession })))}); ask again in a minute for them.`,
    );
  }
  return parts.join(' ');
}

/**
 * The answer from the filings read: every row newest first (filing date, then transaction date), at most `limit`
 * returned, the 12-month totals over all of them, the source (`sec-form4`, the filings' date range) and the note.
 */
export function insiderAnswer(
  company: InsiderCompany,
  reading: Form4Reading,
  asked: number,
  limit: number,
): InsiderTransactions {
  const rows = reading.read
    .flatMap(({ filing, document }) => form4Rows(filing, document, company))
    .sort(
      (a, b) =>
        b.filingDate.localeCompare(a.filingDate) ||
        b.transactionDate.localeCompare(a.transactionDate) ||
        b.accession.localeCompare(a.accession),
    );
  const dates = reading.read.map((r) => r.filing.filingDate).sort();
  const from = dates[0] ?? '';
  const to = dates.at(-1) ?? '';
  const answer: InsiderTransactions = {
    ticker: company.ticker,
    transactions: rows.slice(0, Math.max(1, Math.floor(limit))),
    last12m: insiderSummary(rows),
    source: {
      provider: 'sec-form4',
      ref: `SEC Form 4 filings for CIK ${company.cik}, ${reading.read.length} filed ${from} to ${to}`,
      asOf: to,
      url: `https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=${company.cik}&type=4&dateb=&owner=include&count=40`,
    },
  };
  const note = readingNote(reading, asked);
  if (note) answer.note = note;
  return answer;
}
