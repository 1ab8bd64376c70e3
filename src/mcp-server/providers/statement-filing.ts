/**
 * The newest filing a statements answer's figures come from: its form (10-K, 10-Q …), accession, filing date and the
 * newest period it reports. Read from the figures' own sources (`10-Q accn 0001045810-26-000052`, filed as the
 * source's `asOf`), so it is the same for the live SEC provider and the bundled copies of SEC data; statements with
 * no filing behind them (yfinance tables) have none.
 */
import type { CompanyFinancials, FilingRef } from '../shapes.js';

const FILING_REF = /\b((?:10-K|10-Q|20-F|40-F)(?:\/A)?) accn (\d{10}-\d{2}-\d{6})\b/g;

/**
 * The newest filing cited by `financials`' figures: the latest filing date (`asOf` of a source that cites it), then
 * the newest period end; `undefined` when no figure cites a filing. `periodEnd` is the newest period that cites it.
 */
export function latestStatementFiling(financials: CompanyFinancials): FilingRef | undefined {
  const byAccession = new Map<string, FilingRef>();
  for (const period of financials.periods) {
    for (const value of Object.values(period.items)) {
      if (!value) continue;
      for (const [, form, accession] of value.source.ref.matchAll(FILING_REF)) {
        if (!form || !accession) continue;
        const seen = byAccession.get(accession) ?? { form, accession };
        // A source's asOf is its filing date only when the source is that one filing (not a computed figure).
        const own = value.source.ref.startsWith(`${form} accn ${accession}`);
        if (own && value.source.asOf && (!seen.filed || value.source.asOf > seen.filed)) seen.filed = value.source.asOf;
        if (!seen.periodEnd || period.periodEnd > seen.periodEnd) seen.periodEnd = period.periodEnd;
        byAccession.set(accession, seen);
      }
    }
  }
  const key = (f: FilingRef) => `${f.filed ?? ''}|${f.periodEnd ?? ''}`;
  return [...byAccession.values()].sort((a, b) => key(b).localeCompare(key(a)))[0];
}
