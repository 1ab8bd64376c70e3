/**
 * Readers for SEC submissions JSON (`https://data.sec.gov/submissions/CIK##########.json`): company identity
 * fields and 8-K filings as company events. Pure functions, used by the bundled-data build and reusable by a live
 * SEC provider.
 */
import type { CompanyEvent, CompanyProfile } from '../shapes.js';
import { eightKTitle } from './sec-8k-items.js';
import { secFilingIndexUrl } from './sec-companyfacts.js';

/** The subset of a submissions document we read. */
interface Submissions {
  cik?: string | number;
  name?: string;
  sic?: string;
  sicDescription?: string;
  exchanges?: string[];
  fiscalYearEnd?: string;
  filings?: { recent?: Record<string, (string | number)[]> };
}

/** Identity fields of a company profile from a submissions document (CIK padded to 10 digits, FYE as `MM-DD`). */
export function submissionsProfileFields(
  json: unknown,
): Pick<CompanyProfile, 'cik' | 'exchange' | 'sic' | 'fiscalYearEnd'> & { name?: string } {
  const sub = json as Submissions;
  const out: Pick<CompanyProfile, 'cik' | 'exchange' | 'sic' | 'fiscalYearEnd'> & { name?: string } = {};
  if (sub.cik !== undefined) out.cik = String(sub.cik).padStart(10, '0');
  if (sub.name) out.name = sub.name;
  if (sub.exchanges?.[0]) out.exchange = sub.exchanges[0];
  if (sub.sic) out.sic = { code: String(sub.sic), description: String(sub.sicDescription ?? '') };
  const fye = String(sub.fiscalYearEnd ?? '');
  if (/^\d{4}$/.test(fye)) out.fiscalYearEnd = `${fye.slice(0, 2)}-${fye.slice(2)}`;
  return out;
}

/**
 * 8-K and 8-K/A filings from the document's recent filings, newest first, each with a title written from its item
 * codes, the SEC filing index URL, and a source (`sec-submissions`, `8-K accn …`, filing date).
 */
export function eightKEvents(json: unknown): CompanyEvent[] {
  const sub = json as Submissions;
  const recent = sub.filings?.recent ?? {};
  const cik = String(sub.cik ?? '');
  const events: CompanyEvent[] = [];
  (recent.form ?? []).forEach((formValue, i) => {
    const form = String(formValue);
    if (form !== '8-K' && form !== '8-K/A') return;
    const accn = String(recent.accessionNumber?.[i] ?? '');
    const date = String(recent.filingDate?.[i] ?? '');
    const items = String(recent.items?.[i] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const url = secFilingIndexUrl(cik, accn);
    events.push({
      date,
      kind: form,
      title: eightKTitle(form, items),
      items,
      url,
      source: { provider: 'sec-submissions', ref: `${form} accn ${accn}`, period: date, asOf: date, url },
    });
  });
  return events.sort((a, b) => b.date.localeCompare(a.date));
}
