/**
 * Builds the bundled data set in `data/` from the shared source files (`npm run data:build [SHARED_DIR]`).
 *
 * Input: the shared data directory (argv[2], or `SHARED_DATA_DIR`, default `../shared/data` next to the repo).
 * Output: `data/index.json`, `data/profiles.json.gz`, `data/tickers/<TICKER>.json.gz` (see
 * `src/mcp-server/providers/bundle-format.ts`); `DATA_OUT_DIR` writes elsewhere (to compare two builds). Only this
 * script and `scripts/data/` read the shared directory; the product reads `data/` alone. Deterministic: the same
 * input gives byte-identical output. The readers: `scripts/data/statements.ts`, `market.ts`, `profile.ts`.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BundleIndex, DataKind, IndexEntry, TickerBundle } from '../src/mcp-server/providers/bundle-format.js';
import type { CompanyProfile } from '../src/mcp-server/shapes.js';
import { analyst, insider, news, prices } from './data/market.js';
import { profile } from './data/profile.js';
import { loadSharedSources, NON_USD_PRICES, NON_USD_STATEMENTS, SNAPSHOT_DATE } from './data/sources.js';
import { financials } from './data/statements.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.argv[2] ?? process.env.SHARED_DATA_DIR ?? join(repo, '..', 'shared', 'data'));
const out = resolve(process.env.DATA_OUT_DIR ?? join(repo, 'data'));

if (!existsSync(join(shared, 'PROVENANCE.txt'))) {
  console.error(`Shared data not found at ${shared}. Pass its path as the first argument or set SHARED_DATA_DIR.`);
  process.exit(2);
}
const src = loadSharedSources(shared);

// ---------- checks against figures stated in the shared PROVENANCE.txt ----------
const checks: [string, string, 'revenue' | 'netIncome', number][] = [
  ['NVDA', 'FY2024', 'revenue', 60_922e6],
  ['AAPL', 'FY2023', 'revenue', 383_285e6],
  ['GOOGL', 'FY2024', 'revenue', 350_018e6],
  ['MSFT', 'FY2025', 'revenue', 281_724e6],
  ['TSLA', 'FY2024', 'revenue', 97_690e6],
  ['TSLA', 'FY2024', 'netIncome', 7_091e6],
  ['AMZN', 'FY2024', 'revenue', 637_959e6],
  ['META', 'FY2024', 'revenue', 164_501e6],
];
const failed: string[] = [];
for (const [ticker, label, item, expected] of checks) {
  const got = financials(src, ticker)?.annual.find((x) => x.label === label)?.items[item]?.value;
  if (got !== expected) failed.push(`${ticker} ${label} ${item}: got ${got}, expected ${expected}`);
}
const nvdaBar = prices(src, 'NVDA')?.bars.find((b) => b[0] === '2024-06-10');
if (nvdaBar?.[4] !== 121.79) failed.push(`NVDA 2024-06-10 close: got ${nvdaBar?.[4]}, expected 121.79`);
if (failed.length > 0) {
  console.error(`Bundled data failed its checks:\n  ${failed.join('\n  ')}`);
  process.exit(1);
}

// ---------- write ----------
rmSync(join(out, 'tickers'), { recursive: true, force: true });
mkdirSync(join(out, 'tickers'), { recursive: true });
const index: BundleIndex = { version: 1, dataAsOf: SNAPSHOT_DATE, tickers: {} };
const profiles: Record<string, CompanyProfile> = {};
for (const ticker of src.universe) {
  const notes: IndexEntry['notes'] = {};
  const bundle: TickerBundle = { ticker };
  const fin = financials(src, ticker);
  if (fin) bundle.financials = fin;
  else if (NON_USD_STATEMENTS[ticker])
    notes.financials = `statements are reported in ${NON_USD_STATEMENTS[ticker]}, not USD`;
  const px = prices(src, ticker);
  if (px) bundle.prices = px;
  else if (NON_USD_PRICES[ticker]) notes.prices = `prices are quoted in ${NON_USD_PRICES[ticker]}, not USD`;
  const an = analyst(src, ticker);
  if (an) bundle.analyst = an;
  const nw = news(src, ticker);
  if (nw) bundle.news = nw;
  const ins = insider(src, ticker, px?.bars);
  if (ins) bundle.insider = ins;
  const prof = profile(src, ticker, fin);
  if (prof) profiles[ticker] = prof;
  const has: DataKind[] = [];
  if (prof) has.push('profile');
  for (const k of ['financials', 'prices', 'analyst', 'news', 'insider'] as const) if (bundle[k]) has.push(k);
  if (has.length === 0 && Object.keys(notes).length === 0) continue;
  const entry: IndexEntry = { name: prof?.name ?? ticker, has };
  if (prof?.cik) entry.cik = prof.cik;
  const sector = prof?.gics?.sector ?? src.ndxComponents.get(ticker)?.category;
  if (sector) entry.sector = sector;
  if (Object.keys(notes).length > 0) entry.notes = notes;
  index.tickers[ticker] = entry;
  if (has.some((k) => k !== 'profile')) {
    writeFileSync(join(out, 'tickers', `${ticker}.json.gz`), gzipSync(JSON.stringify(bundle), { level: 9 }));
  }
}
writeFileSync(join(out, 'profiles.json.gz'), gzipSync(JSON.stringify(profiles), { level: 9 }));
writeFileSync(join(out, 'index.json'), `${JSON.stringify(index, null, 1)}\n`);
const withFiles = Object.values(index.tickers).filter((e) => e.has.some((k) => k !== 'profile')).length;
console.error(
  `Bundled ${Object.keys(index.tickers).length} tickers (${withFiles} with more than a profile) into ${out}`,
);
