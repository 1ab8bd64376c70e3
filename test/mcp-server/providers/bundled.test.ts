import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataUnavailableError, UnknownTickerError } from '../../../src/errors.js';
import { createBundledProvider } from '../../../src/mcp-server/providers/bundled.js';

// Runs against the committed bundled data set (data/), as the product does.
const dataDir = join(import.meta.dirname, '../../../data');
const provider = createBundledProvider(dataDir);

describe('bundled provider', () => {
  it('knows the covered tickers, including share classes', () => {
    const tickers = provider.tickers();
    for (const t of ['NVDA', 'AAPL', 'MSFT', 'TSLA', 'GOOGL', 'GOOG', 'BRK.B', 'JPM', 'XOM', 'KO']) {
      expect(tickers).toContain(t);
    }
    expect(tickers.length).toBeGreaterThan(500);
  });

  it('gives a profile written from codes and figures, with sources', async () => {
    const p = await provider.profile('NVDA');
    expect(p).toMatchObject({ ticker: 'NVDA', cik: '0001045810', exchange: 'Nasdaq', fiscalYearEnd: '01-31' });
    expect(p.gics?.sector).toBe('Information Technology');
    expect(p.sic?.code).toBe('3674');
    expect(p.snapshot?.asOf).toBe('2026-08-22');
    expect(p.snapshot?.price).toBe(214.72);
    expect(p.summary).toContain('NVDA');
    expect(p.summary).toContain('SIC 3674');
    expect(p.sources.map((s) => s.provider)).toEqual(expect.arrayContaining(['sp500-datasets', 'sec-submissions']));
  });

  it('serves NVDA annual statements from SEC companyfacts, newest first, limited', async () => {
    const f = await provider.financials('NVDA', 'annual', 3);
    expect(f.periods).toHaveLength(3);
    expect(f.currency).toBe('USD');
    const ends = f.periods.map((p) => p.periodEnd);
    expect(ends).toEqual([...ends].sort().reverse());
    const all = await provider.financials('NVDA', 'annual', 10);
    const fy2024 = all.periods.find((p) => p.label === 'FY2024');
    expect(fy2024?.items.revenue?.value).toBe(60_922_000_000);
    expect(fy2024?.items.revenue?.source.provider).toBe('sec-companyfacts');
    const q = await provider.financials('NVDA', 'quarterly', 4);
    expect(q.periods[0]?.fiscalQuarter).toBeDefined();
    expect(q.periods[0]?.label).toMatch(/^Q[1-4] FY\d{4}$/);
  });

  it('serves MSFT FY2025 and TSLA FY2024 from the 10-K tables', async () => {
    const msft = (await provider.financials('MSFT', 'annual', 10)).periods.find((p) => p.label === 'FY2025');
    expect(msft?.items.revenue?.value).toBe(281_724_000_000);
    expect(msft?.items.revenue?.source.provider).toBe('sec-10k');
    expect(msft?.items.revenue?.source.ref).toContain('0000950170-25-100235');
    expect(msft?.items.netIncome?.value).toBe(101_832_000_000);
    expect(msft?.items.freeCashFlow?.value).toBe(136_162_000_000 - 64_551_000_000);
    const tsla = (await provider.financials('TSLA', 'annual', 10)).periods.find((p) => p.label === 'FY2024');
    expect(tsla?.items.revenue?.value).toBe(97_690_000_000);
    expect(tsla?.items.netIncome?.value).toBe(7_091_000_000);
    expect(tsla?.items.epsDiluted?.value).toBe(2.04);
  });

  it('serves yfinance-derived statements for other covered tickers', async () => {
    const amzn = (await provider.financials('AMZN', 'annual', 10)).periods.find((p) => p.label === 'FY2024');
    expect(amzn?.items.revenue?.value).toBe(637_959_000_000);
    expect(amzn?.items.revenue?.source.provider).toBe('yfinance-heliar-k');
  });

  it('defaults prices to the last 365 days of available data and honours a range', async () => {
    const h = await provider.prices('NVDA');
    expect(h.end).toBe('2026-08-21');
    expect(h.start).toBe('2025-08-21');
    expect(h.bars[h.bars.length - 1]).toMatchObject({ date: '2026-08-21', close: 214.72 });
    expect(h.bars.length).toBeGreaterThan(240);
    expect(h.bars.length).toBeLessThan(260);
    expect(h.source.provider).toBe('ibkr-heliar-k');
    const r = await provider.prices('NVDA', { start: '2024-06-10', end: '2024-06-10' });
    expect(r.bars).toEqual([expect.objectContaining({ date: '2024-06-10', close: 121.79 })]);
    await expect(provider.prices('NVDA', { start: '2001-01-01', end: '2001-12-31' })).rejects.toThrow(
      DataUnavailableError,
    );
  });

  it('maps GOOGL prices to GOOG and uses Stooq where IBKR lacks a ticker', async () => {
    const googl = await provider.prices('GOOGL');
    expect(googl.source.ref).toContain('GOOG (Class C) prices used for GOOGL');
    const jpm = await provider.prices('JPM');
    expect(jpm.source.provider).toBe('stooq-tessera');
    expect(jpm.bars.length).toBeGreaterThan(200);
  });

  it('gives analyst consensus with history, 8-K events and insider transactions', async () => {
    const a = await provider.analystRatings('NVDA');
    expect(a.analystCount).toBeGreaterThan(0);
    expect(a.upsidePct).toBeCloseTo(((a.targetMean ?? Number.NaN) / a.price - 1) * 100, 1);
    expect(a.history[0]).toMatchObject({ date: '2026-08-06', analystCount: 58, targetMean: 302.83 });
    const n = await provider.news('NVDA', 5);
    expect(n.events).toHaveLength(5);
    expect(n.events[0]?.kind).toMatch(/^8-K/);
    expect(n.events.some((e) => e.title.includes('Results of Operations and Financial Condition (2.02)'))).toBe(true);
    expect(n.events[0]?.url).toMatch(/^https:\/\/www\.sec\.gov\/Archives\/edgar\/data\/1045810\//);
    const i = await provider.insiderTransactions('NVDA', 10);
    expect(i.transactions).toHaveLength(10);
    expect((i.transactions[0]?.filingDate ?? '') >= (i.transactions[9]?.filingDate ?? '')).toBe(true);
    expect(i.last12m.sellCount).toBeGreaterThan(0);
    expect(i.last12m.sellValue).toBeGreaterThan(0);
  });

  it('rejects an unknown ticker with close matches', async () => {
    const err = await provider.profile('NVDX').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownTickerError);
    expect((err as UnknownTickerError).suggestions).toContain('NVDA');
    expect((err as UnknownTickerError).suggestions.length).toBeLessThanOrEqual(3);
    expect((err as Error).message).toMatch(/Did you mean .*NVDA/);
    const brk = await provider.prices('BRK.C').catch((e: unknown) => e);
    expect((brk as UnknownTickerError).suggestions).toContain('BRK.B');
  });

  it('says plainly when a known ticker lacks a kind of data', async () => {
    await expect(provider.analystRatings('KO')).rejects.toThrow('No analyst consensus in the bundled data set for KO');
    await expect(provider.analystRatings('KO')).rejects.toBeInstanceOf(DataUnavailableError);
    await expect(provider.financials('SAMSUNG', 'annual', 4)).rejects.toThrow(/KRW/);
    await expect(provider.news('KO', 5)).rejects.toBeInstanceOf(DataUnavailableError);
  });

  it('fails with a plain message when the data directory is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickerdesk-bundle-'));
    try {
      const empty = createBundledProvider(dir);
      expect(() => empty.tickers()).toThrow(/npm run data:build/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
