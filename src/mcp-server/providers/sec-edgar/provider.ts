/**
 * The `sec-edgar` live provider: any SEC filer, not only the bundled ones. Ticker → CIK from SEC's ticker map
 * (unknown tickers get close matches from it), profile and 8-K events from submissions, annual and quarterly
 * statements from XBRL companyfacts through the same parser as the bundled copies (amended filings, derived Q4 and
 * splits handled as there), insider transactions from the Form 4 filings the submissions list (newest first, the 12
 * months up to the newest one, at most 60, fetched at background priority; a filing that cannot be read is skipped
 * with a note).
 */
import { DataUnavailableError, ToolFailedError, UnknownTickerError } from '../../../errors.js';
import {
  type CompanyFinancials,
  type CompanyNews,
  type CompanyProfile,
  type FilingRef,
  type InsiderTransactions,
  LATEST_FILINGS_TOOL,
  type LatestFilings,
  type Provenance,
  type Source,
  type StatementPeriod,
} from '../../shapes.js';
import type { ChainMember } from '../chain.js';
import { describeCompany } from '../profile-summary.js';
import { parseCompanyFacts } from '../sec-companyfacts.js';
import { eightKEvents, submissionsProfileFields } from '../sec-submissions.js';
import { closeMatches } from '../ticker-match.js';
import type { SecClient } from './client.js';
import { FORM4_MAX_FILINGS, FORM4_WINDOW_DAYS, form4Filings } from './form4.js';
import { insiderAnswer, readForm4Filings } from './insiders.js';
import type { SecListing } from './ticker-map.js';

const ID = 'sec-edgar';

interface Recent {
  form?: string[];
  accessionNumber?: string[];
  filingDate?: string[];
  reportDate?: string[];
}

/** The newest filing of one of `forms` in a submissions document: form, accession, filing date, period. */
export function latestFiling(
  submissions: unknown,
  forms: readonly string[],
): { form: string; accession: string; date: string; reportDate?: string } | undefined {
  const recent = ((submissions as { filings?: { recent?: Recent } })?.filings?.recent ?? {}) as Recent;
  let best: { form: string; accession: string; date: string; reportDate?: string } | undefined;
  (recent.form ?? []).forEach((form, i) => {
    if (!forms.includes(String(form))) return;
    const date = String(recent.filingDate?.[i] ?? '');
    const accession = String(recent.accessionNumber?.[i] ?? '');
    const reportDate = String(recent.reportDate?.[i] ?? '');
    if (!best || date > best.date)
      best = { form: String(form), accession, date, ...(reportDate ? { reportDate } : {}) };
  });
  return best;
}

/** A {@link latestFiling} as a {@link FilingRef}. */
function filingRef(f: NonNullable<ReturnType<typeof latestFiling>>): FilingRef {
  return { form: f.form, accession: f.accession, filed: f.date, ...(f.reportDate ? { periodEnd: f.reportDate } : {}) };
}

/** The check of an answer resting on `accession` (see `Provenance.validator`). */
function validator(field: 'report' | 'event' | 'insider', accession: string): { provenance: Provenance } {
  // Only `validator` is read: the chain writes the rest of the provenance.
  return { provenance: { validator: { tool: LATEST_FILINGS_TOOL, field, accession } } as Provenance };
}

const REPORT_FORMS = ['10-K', '10-K/A', '10-Q', '10-Q/A', '20-F', '40-F'];

/** `SANTA CLARA` → `Santa Clara`. */
function titleCase(s: string): string {
  return s.toLowerCase().replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

/** Distinct sources of statement periods (one per filing), newest filing first. */
function filingSources(periods: StatementPeriod[]): Source[] {
  const seen = new Map<string, Source>();
  for (const p of periods) {
    for (const v of Object.values(p.items)) {
      if (!v || seen.has(v.source.ref) || v.source.ref.startsWith('derived')) continue;
      const s: Source = { provider: v.source.provider, ref: v.source.ref };
      if (v.source.asOf) s.asOf = v.source.asOf;
      if (v.source.url) s.url = v.source.url;
      seen.set(v.source.ref, s);
    }
  }
  return [...seen.values()].sort((a, b) => (b.asOf ?? '').localeCompare(a.asOf ?? '')).slice(0, 40);
}

/** How many Form 4 filings an insiders answer reads, and how long it waits for them. */
export interface Form4Options {
  /** Most Form 4 filings read per answer (the newest). @default 60 */
  maxFilings?: number;
  /** Only filings in this many days up to the newest Form 4. @default 365 */
  windowDays?: number;
  /**
   * Longest wait for the filings, ms; those not read by then are named in the answer's note and go on being fetched
   * in the background, so the next answer has them. @default 8000
   */
  waitMs?: number;
}

/** See the module comment. Build it only when `SEC_USER_AGENT` is set. */
export class SecEdgarProvider implements ChainMember {
  readonly id = ID;
  readonly live = true;
  readonly #sec: SecClient;
  readonly #form4: Required<Form4Options>;
  #known: readonly string[] = [];
  /** Parsed statements by the companyfacts document they came from (dropped with the document). */
  readonly #parsedFacts = new WeakMap<object, ReturnType<typeof parseCompanyFacts>>();

  constructor(sec: SecClient, form4: Form4Options = {}) {
    this.#sec = sec;
    this.#form4 = {
      maxFilings: form4.maxFilings ?? FORM4_MAX_FILINGS,
      windowDays: form4.windowDays ?? FORM4_WINDOW_DAYS,
      waitMs: form4.waitMs ?? 8000,
    };
  }

  /**
   * The statements in a companyfacts document, parsed once per document (the annual and the quarterly call of a run
   * share the document the client keeps, and the parse is the costliest step of either).
   */
  #parsed(facts: unknown): ReturnType<typeof parseCompanyFacts> {
    if (typeof facts !== 'object' || facts === null) return parseCompanyFacts(facts);
    let parsed = this.#parsedFacts.get(facts);
    if (!parsed) {
      parsed = parseCompanyFacts(facts);
      this.#parsedFacts.set(facts, parsed);
    }
    return parsed;
  }

  /** Tickers of SEC's ticker map once it has been read (empty before). */
  tickers(): readonly string[] {
    return this.#known;
  }

  /** Whether SEC's ticker map lists `ticker`. */
  async knows(ticker: string): Promise<boolean> {
    return (await this.#sec.tickerMap()).has(ticker);
  }

  /** @throws UnknownTickerError with close matches from SEC's ticker map. */
  async listing(ticker: string): Promise<SecListing> {
    const map = await this.#sec.tickerMap();
    if (this.#known.length !== map.size) this.#known = [...map.keys()];
    const listing = map.get(ticker);
    if (!listing) throw new UnknownTickerError(ticker, closeMatches(ticker, this.#known));
    return listing;
  }

  async profile(ticker: string): Promise<CompanyProfile> {
    const listing = await this.listing(ticker);
    const sub = await this.#sec.submissions(listing.cik);
    const fields = submissionsProfileFields(sub);
    const business = (sub as { addresses?: { business?: { city?: string; stateOrCountry?: string } } }).addresses
      ?.business;
    const base: Omit<CompanyProfile, 'summary' | 'sources'> = {
      ticker,
      name: fields.name ?? listing.name,
      cik: listing.cik,
    };
    const exchange = listing.exchange || fields.exchange;
    if (exchange) base.exchange = exchange;
    if (fields.sic) base.sic = fields.sic;
    if (fields.fiscalYearEnd) base.fiscalYearEnd = fields.fiscalYearEnd;
    if (business?.city) {
      base.headquarters = `${titleCase(business.city)}${business.stateOrCountry ? `, ${business.stateOrCountry}` : ''}`;
    }
    const latest = latestFiling(sub, REPORT_FORMS) ?? latestFiling(sub, ['8-K']);
    const source: Source = {
      provider: 'sec-submissions',
      ref: `SEC submissions CIK${listing.cik}`,
      url: `https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=${listing.cik}`,
    };
    if (latest) source.asOf = latest.date;
    const report = latestFiling(sub, REPORT_FORMS);
    return {
      ...base,
      summary: describeCompany(base),
      sources: [source],
      ...(report ? validator('report', report.accession) : {}),
    };
  }

  /** The newest 10-K/10-Q (or 20-F, 40-F, amendments), 8-K and Form 4, from submissions asked of SEC now. */
  async latestFilings(ticker: string): Promise<LatestFilings> {
    const listing = await this.listing(ticker);
    const sub = await this.#sec.submissions(listing.cik, { fresh: true });
    const found = {
      report: latestFiling(sub, REPORT_FORMS),
      event: latestFiling(sub, ['8-K']),
      insider: latestFiling(sub, ['4']),
    };
    const answer: LatestFilings = { ticker };
    for (const [field, f] of Object.entries(found) as [keyof typeof found, (typeof found)[keyof typeof found]][]) {
      if (f) answer[field] = filingRef(f);
    }
    if (!answer.report && !answer.event && !answer.insider) {
      throw new DataUnavailableError(`SEC EDGAR lists no 10-K, 10-Q, 8-K or Form 4 for ${ticker}.`);
    }
    return answer;
  }

  async financials(ticker: string, period: 'annual' | 'quarterly', limit: number): Promise<CompanyFinancials> {
    const listing = await this.listing(ticker);
    const sub = await this.#sec.submissions(listing.cik);
    const latest = latestFiling(sub, REPORT_FORMS);
    if (!latest) throw new DataUnavailableError(`SEC EDGAR lists no 10-K or 10-Q for ${ticker}.`);
    const facts = await this.#sec.companyFacts(listing.cik, latest.accession);
    let parsed: ReturnType<typeof parseCompanyFacts>;
    try {
      parsed = this.#parsed(facts);
    } catch (cause) {
      throw new DataUnavailableError(`SEC EDGAR has no US-GAAP statements for ${ticker} (${String(cause)}).`, {
        cause,
      });
    }
    const periods = parsed[period].slice(0, Math.max(1, Math.floor(limit)));
    if (periods.length === 0) throw new DataUnavailableError(`SEC EDGAR has no ${period} statements for ${ticker}.`);
    return {
      ticker,
      currency: 'USD',
      period,
      periods,
      sources: filingSources(periods),
      ...validator('report', latest.accession),
    };
  }

  async news(ticker: string, limit: number): Promise<CompanyNews> {
    const listing = await this.listing(ticker);
    const sub = await this.#sec.submissions(listing.cik);
    const events = eightKEvents(sub);
    if (events.length === 0) throw new DataUnavailableError(`SEC EDGAR lists no recent 8-K filings for ${ticker}.`);
    const asOf = events[0]?.date;
    const event = latestFiling(sub, ['8-K']);
    return {
      ...(event ? validator('event', event.accession) : {}),
      ticker,
      events: events.slice(0, Math.max(1, Math.floor(limit))),
      source: {
        provider: 'sec-submissions',
        ref: `SEC submissions CIK${listing.cik} (8-K filings)`,
        ...(asOf ? { asOf } : {}),
      },
    };
  }

  /**
   * Insider transactions from the company's Form 4 filings (see the module comment).
   * @throws DataUnavailableError when the submissions list no Form 4 or the filings read hold no transaction;
   *   ToolFailedError when no filing could be read (the first failure named) or none arrived in time.
   */
  async insiderTransactions(ticker: string, limit: number): Promise<InsiderTransactions> {
    const listing = await this.listing(ticker);
    const sub = await this.#sec.submissions(listing.cik);
    const filings = form4Filings(sub, this.#form4);
    if (filings.length === 0) throw new DataUnavailableError(`SEC EDGAR lists no Form 4 filings for ${ticker}.`);
    const reading = await readForm4Filings(filings, (f) => this.#sec.form4(listing.cik, f), this.#form4.waitMs);
    if (reading.read.length === 0) {
      const first = reading.failed[0];
      throw new ToolFailedError(
        'sec-edgar/insiders',
        first
          ? `No Form 4 of ${ticker} could be read (${filings.length} tried; ${first.filing.accession}: ${first.reason})`
          : `SEC did not send ${ticker}'s ${filings.length} Form 4 filings within ${this.#form4.waitMs} ms; they are still being fetched.`,
        { transient: true },
      );
    }
    const answer = insiderAnswer({ ticker, cik: listing.cik }, reading, filings.length, limit);
    const newest = latestFiling(sub, ['4']);
    if (newest) Object.assign(answer, validator('insider', newest.accession));
    if (answer.transactions.length === 0) {
      throw new DataUnavailableError(
        `SEC EDGAR's ${reading.read.length} Form 4 filings for ${ticker} since ${filings.at(-1)?.filingDate} report no share transactions${answer.note ? ` (${answer.note})` : ''}.`,
      );
    }
    return answer;
  }
}
