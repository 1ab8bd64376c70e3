import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { BundleIndex, TickerBundle } from '../../../src/mcp-server/providers/bundle-format.js';

// Integrity of the committed bundled data set (data/), as built by `npm run data:build`.
const dataDir = join(import.meta.dirname, '../../../data');
const index = JSON.parse(readFileSync(join(dataDir, 'index.json'), 'utf8')) as BundleIndex;
const readBundle = (t: string): TickerBundle =>
  JSON.parse(gunzipSync(readFileSync(join(dataDir, 'tickers', `${t}.json.gz`))).toString('utf8'));
const PER_SHARE = new Set(['epsBasic', 'epsDiluted']);

describe('bundled data set', () => {
  it('stays well under 5 MB', () => {
    const files = readdirSync(join(dataDir, 'tickers')).map((f) => join(dataDir, 'tickers', f));
    const total = [...files, join(dataDir, 'index.json'), join(dataDir, 'profiles.json.gz')].reduce(
      (sum, f) => sum + statSync(f).size,
      0,
    );
    expect(total).toBeLessThan(5 * 1024 * 1024);
  });

  it('has a file for every ticker the index lists with more than a profile, holding exactly those kinds', () => {
    const profiles = JSON.parse(gunzipSync(readFileSync(join(dataDir, 'profiles.json.gz'))).toString('utf8'));
    for (const [ticker, entry] of Object.entries(index.tickers)) {
      expect(entry.has.includes('profile'), ticker).toBe(profiles[ticker] !== undefined);
      const kinds = entry.has.filter((k) => k !== 'profile');
      if (kinds.length === 0) continue;
      const bundle = readBundle(ticker);
      expect(bundle.ticker).toBe(ticker);
      const present = (['financials', 'prices', 'analyst', 'news', 'insider'] as const).filter((k) => bundle[k]);
      expect(present, ticker).toEqual(kinds);
    }
  });

  it('gives every statement figure a source, money in whole USD', () => {
    for (const [ticker, entry] of Object.entries(index.tickers)) {
      if (!entry.has.includes('financials')) continue;
      const fin = readBundle(ticker).financials;
      for (const period of [...(fin?.annual ?? []), ...(fin?.quarterly ?? [])]) {
        expect(period.label, ticker).toMatch(/^(Q[1-4] )?FY\d{4}$/);
        for (const [item, v] of Object.entries(period.items)) {
          expect(v?.source.provider, `${ticker} ${period.label} ${item}`).toBeTruthy();
          expect(v?.source.ref).toBeTruthy();
          expect(v?.source.period).toBe(period.label);
          if (!PER_SHARE.has(item)) expect(Number.isInteger(v?.value), `${ticker} ${period.label} ${item}`).toBe(true);
        }
      }
    }
  });

  it('keeps at most the last 3 years of daily prices, oldest first', () => {
    for (const [ticker, entry] of Object.entries(index.tickers)) {
      if (!entry.has.includes('prices')) continue;
      const bars = readBundle(ticker).prices?.bars ?? [];
      const first = bars[0]?.[0] ?? '';
      const last = bars[bars.length - 1]?.[0] ?? '';
      expect(bars.length, ticker).toBeGreaterThan(0);
      expect(Date.parse(last) - Date.parse(first)).toBeLessThanOrEqual(3 * 366 * 86_400_000);
      expect(bars.map((b) => b[0])).toEqual(bars.map((b) => b[0]).sort());
    }
  });
});
