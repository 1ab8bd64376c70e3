/**
 * SEC Form 4 (statement of changes in beneficial ownership): which Form 4 filings a submissions document lists, where
 * each one's ownership XML lives, and a reader of that XML (SEC's `ownershipDocument` schema, X0306 and later:
 * `issuer`, `reportingOwner`, `nonDerivativeTable/nonDerivativeTransaction` with `transactionCoding/transactionCode`,
 * `transactionAmounts/transactionShares/value`, `transactionPricePerShare/value`,
 * `transactionAcquiredDisposedCode/value`, `postTransactionAmounts/sharesOwnedFollowingTransaction/value`).
 * Pure functions. The XML reader itself is `./form4-xml.ts`, apart so that fast-xml-parser loads with the first Form
 * 4 read, not when the data server starts.
 */

/** A Form 4 (or 4/A) filing listed in a company's submissions. */
export interface Form4Filing {
  form: '4' | '4/A';
  /** `0001045810-26-000012` */
  accession: string;
  /** ISO date the filing was accepted. */
  filingDate: string;
  /** The raw ownership XML's file name in the filing folder (`wk-form4_1772663608.xml`). */
  document: string;
}

/** One reporting owner (the insider): name as filed and role. */
export interface Form4Owner {
  cik?: string;
  name: string;
  /** Officer title as filed, else `Director`, `10% Owner` or the "other" text. */
  title: string;
}

/** One row of the non-derivative table that records a transaction (holdings without one are not read). */
export interface Form4Transaction {
  securityTitle: string;
  /** ISO date. */
  date: string;
  /** P purchase, S sale, A award, M exercise, F tax withholding, G gift… */
  code: string;
  /** Count of shares (always positive; the direction is `acquiredDisposed`). */
  shares: number;
  /** USD per share; null when the filing gives none (a footnote only). */
  price: number | null;
  /** `A` acquired or `D` disposed. */
  acquiredDisposed: string;
  /** Shares held after the transaction, null when not given. */
  sharesAfter: number | null;
}

/** What we read from one ownership XML document. */
export interface Form4Document {
  /** `4` or `4/A`. */
  documentType: string;
  issuer: { cik?: string; name?: string; ticker?: string };
  owners: Form4Owner[];
  transactions: Form4Transaction[];
}

/** The window and count bounds of {@link form4Filings}. */
export interface Form4Bounds {
  /** Only filings in this many days up to the newest Form 4 filing. @default 365 */
  windowDays?: number;
  /** At most this many filings (the newest). @default 60 */
  maxFilings?: number;
}

/** Form 4 bounds: the 12 months up to the newest Form 4 filing, at most 60 filings. */
export const FORM4_WINDOW_DAYS = 365;
export const FORM4_MAX_FILINGS = 60;

/**
 * The raw XML file name of a Form 4's `primaryDocument`: submissions list the rendered HTML view
 * (`xslF345X05/wk-form4_1772663608.xml`); the XML itself is the same name without the `xslF345X0N/` folder.
 */
export function form4XmlDocument(primaryDocument: string): string {
  return primaryDocument.replace(/^xslF345X\d+\//i, '');
}

/** `https://www.sec.gov/Archives/edgar/data/1045810/000104581026000012/wk-form4_1772663608.xml` under `wwwUrl`. */
export function form4XmlUrl(wwwUrl: string, cik: string, filing: Pick<Form4Filing, 'accession' | 'document'>): string {
  return `${wwwUrl}/Archives/edgar/data/${Number(cik)}/${filing.accession.replace(/-/g, '')}/${encodeURI(filing.document)}`;
}

/** ISO date `days` before `iso`. */
function minusDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The Form 4 and 4/A filings of a submissions document (`filings.recent`), newest first, bounded: filed in the
 * `windowDays` up to the newest one, at most `maxFilings`. Filings without an XML document are skipped.
 */
export function form4Filings(submissions: unknown, bounds: Form4Bounds = {}): Form4Filing[] {
  const recent = ((submissions as { filings?: { recent?: Record<string, unknown[]> } })?.filings?.recent ??
    {}) as Record<string, unknown[] | undefined>;
  const all: Form4Filing[] = [];
  (recent.form ?? []).forEach((formValue, i) => {
    const form = String(formValue);
    if (form !== '4' && form !== '4/A') return;
    const document = form4XmlDocument(String(recent.primaryDocument?.[i] ?? ''));
    const accession = String(recent.accessionNumber?.[i] ?? '');
    const filingDate = String(recent.filingDate?.[i] ?? '');
    if (!/\.xml$/i.test(document) || !accession || !/^\d{4}-\d{2}-\d{2}$/.test(filingDate)) return;
    all.push({ form, accession, filingDate, document });
  });
  all.sort((a, b) => b.filingDate.localeCompare(a.filingDate) || b.accession.localeCompare(a.accession));
  const newest = all[0]?.filingDate;
  if (!newest) return [];
  const from = minusDays(newest, bounds.windowDays ?? FORM4_WINDOW_DAYS);
  return all.filter((f) => f.filingDate > from).slice(0, bounds.maxFilings ?? FORM4_MAX_FILINGS);
}
