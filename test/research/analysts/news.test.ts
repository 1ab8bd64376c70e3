import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../../src/research/analysts/index.js';
import { getFigure } from '../../../src/research/analysts/lookup.js';
import { analyzeNews, ratingWords } from '../../../src/research/analysts/news.js';
import { emptyBundle, failed, koBundle, nvdaBundle, weakBundle } from '../../helpers/bundle-fixtures.js';

describe('news & events analyst', () => {
  it('counts 8-K events and notable items relative to the bundle date', () => {
    const f = analyzeNews(nvdaBundle());
    expect(getFigure(f, 'events_90d')).toMatchObject({ value: 2, unit: 'count', period: 'last 90 days to 2026-08-21' });
    expect(getFigure(f, 'events_365d')?.value).toBe(7);
    expect(getFigure(f, 'item_2_02_365d')?.value).toBe(4);
    expect(getFigure(f, 'item_5_02_365d')?.value).toBe(1);
    expect(getFigure(f, 'item_1_01_365d')?.value).toBe(1);
    expect(getFigure(f, 'item_9_01_365d')).toBeUndefined();
    expect(getFigure(f, 'days_since_results')).toMatchObject({ value: 85, unit: 'days', period: '2026-05-28' });
  });

  it('reads the consensus and recomputes the implied upside', () => {
    const f = analyzeNews(nvdaBundle());
    expect(getFigure(f, 'analyst_count')?.value).toBe(58);
    expect(getFigure(f, 'target_mean')?.value).toBe(304.1207);
    expect(getFigure(f, 'implied_upside')?.value).toBeCloseTo((304.1207 / 214.72 - 1) * 100, 3);
    expect(getFigure(f, 'target_mean_change')?.period).toBe('2026-08-06 to 2026-08-21');
    expect(f.signal).toBe('bullish');
    expect(ratingWords('strong_buy')).toBe('strong buy');
  });

  it('says plainly when the consensus has no rating (the source writes "none")', () => {
    expect(ratingWords('none')).toBe('');
    expect(ratingWords('N/A')).toBe('');
    expect(ratingWords(undefined)).toBe('');
    const b = nvdaBundle();
    if (b.analyst.status === 'ok') b.analyst = { ...b.analyst, data: { ...b.analyst.data, rating: 'none' } };
    const f = analyzeNews(b);
    expect(f.points.join(' ')).toContain('58 analysts cover the stock (no consensus rating given); the mean target');
    expect(f.points.join(' ')).not.toContain('rate the stock none');
  });

  it('treats event text as data: nothing from it reaches figures or points', () => {
    const f = analyzeNews(nvdaBundle());
    const all = JSON.stringify(f);
    expect(all).not.toMatch(/IGNORE|999\.99|Sell/);
  });

  it('turns red-flag items and a negative consensus bearish', () => {
    const f = analyzeNews(weakBundle());
    expect(f.signal).toBe('bearish');
    expect(getFigure(f, 'item_4_02_365d')?.value).toBe(1);
    expect(f.points.some((p) => p.startsWith('Red flag: an 8-K with item 4.02'))).toBe(true);
  });

  it('says when consensus is missing, and degrades only on failures', () => {
    const ko = analyzeNews(koBundle());
    expect(ko.points).toContain('No analyst consensus is available for KO in the bundled data set.');
    expect(ko.degraded).toBeUndefined();
    expect(getFigure(ko, 'events_365d')?.value).toBe(0);
    const b = nvdaBundle();
    b.news = failed('tool error');
    const f = analyzeNews(b);
    expect(f.degraded).toBe('The company events (SEC 8-K filings) for NVDA could not be fetched (tool error).');
    expect(getFigure(f, 'target_mean')).toBeDefined();
  });

  it('has no figures and a plain reason when both feeds are missing', () => {
    const f = analyzeBundle('news', emptyBundle());
    expect(f.figures).toEqual([]);
    expect(f.degraded).toContain('No analyst consensus is available for ZZZZ');
    expect(f.dataGap).toBeUndefined(); // the events fetch failed: a fault, not only a gap
    const gapOnly = emptyBundle();
    gapOnly.news = { status: 'unavailable', reason: 'none', source: 'test' };
    expect(analyzeNews(gapOnly).dataGap).toBe(analyzeNews(gapOnly).degraded);
  });
});
