/**
 * SEC's ticker map, `https://www.sec.gov/files/company_tickers_exchange.json`: every ticker SEC knows with its CIK,
 * company name and exchange, as `{"fields": ["cik", "name", "ticker", "exchange"], "data": [[320193, "Apple Inc.",
 * "AAPL", "Nasdaq"], …]}`. SEC writes share classes with a dash (`BRK-B`); we key them as `normalizeTicker` does
 * (`BRK.B`).
 */

/** One listed security in SEC's ticker map. */
export interface SecListing {
  /** 10 digits, zero-padded. */
  cik: string;
  name: string;
  ticker: string;
  /** `Nasdaq`, `NYSE`, `OTC`, `CBOE`… or empty when SEC has none. */
  exchange: string;
}

/**
 * Parse the ticker map into listings by normalised ticker (first listing wins for a ticker seen twice).
 * @throws Error when the document is not in SEC's `fields` / `data` shape.
 */
export function parseTickerMap(json: unknown): Map<string, SecListing> {
  const doc = json as { fields?: unknown; data?: unknown };
  if (!Array.isArray(doc?.fields) || !Array.isArray(doc.data)) {
    throw new Error('not SEC ticker map JSON (no "fields" and "data")');
  }
  const col = (name: string) => (doc.fields as unknown[]).indexOf(name);
  const [iCik, iName, iTicker, iExchange] = [col('cik'), col('name'), col('ticker'), col('exchange')];
  if (iCik < 0 || iTicker < 0) throw new Error('SEC ticker map JSON without "cik" and "ticker" fields');
  const map = new Map<string, SecListing>();
  for (const row of doc.data as unknown[]) {
    if (!Array.isArray(row)) continue;
    const ticker = String(row[iTicker] ?? '')
      .trim()
      .toUpperCase()
      .replace(/[-/]/g, '.');
    const cik = String(row[iCik] ?? '').trim();
    if (!ticker || !/^\d+$/.test(cik) || map.has(ticker)) continue;
    map.set(ticker, {
      cik: cik.padStart(10, '0'),
      name: String(row[iName] ?? '').trim(),
      ticker,
      exchange: iExchange >= 0 ? String(row[iExchange] ?? '').trim() : '',
    });
  }
  return map;
}
