/**
 * The digest's pure parts (issue 15, part 7): a snapshot from tool answers (close, day and week change, 8-K filings
 * but not news items, the 10-Q the statements rest on, consensus), the diff against the last digest (new filings,
 * a moved consensus, a ticker's first digest listing the last week's filings), the state kept for the next one (a
 * part missing today carried over, so its filings do not all come back as new), and the Slack message.
 */
import { describe, expect, it } from 'vitest';
import type { AnalystRatings, CompanyEvent, PriceRow } from '../../src/mcp-server/shapes.js';
import { DIGEST_ACTIONS, digestMessage, FILINGS_SHOWN } from '../../src/slack/blocks/digest.js';
import { buildDigest, consensusMoved, digestEntry, nextDigestState } from '../../src/watchlists/digest.js';
import { snapshotOf } from '../../src/watchlists/snapshot.js';
import type { TickerSnapshot } from '../../src/watchlists/types.js';
import { renderBlocks } from '../helpers/slack-transcript.js';

const closes = [100, 101, 102, 103, 104, 105, 110];
const bars: PriceRow[] = closes.map((c, i) => [`2026-12-0${i + 1}`, c, c, c, c, 1000]);

const event = (date: string, kind: string, accession: string, title = '8-K: Other Events (8.01)'): CompanyEvent => ({
  date,
  kind,
  title,
  items: kind === '8-K' ? ['8.01'] : [],
  url: `https://www.sec.gov/Archives/edgar/data/1/${accession.replace(/-/g, '')}/${accession}-index.htm`,
  source: { provider: 'sec-submissions', ref: `8-K accn ${accession}` },
});

const analyst = (targetMean: number, rating = 'buy', analystCount = 40): AnalystRatings => ({
  ticker: 'NVDA',
  asOf: '2026-12-07',
  analystCount,
  rating,
  price: 110,
  targetMean,
  targetHigh: 200,
  targetLow: 90,
  upsidePct: 10,
  history: [],
  source: { provider: 'finnhub', ref: 'price-target' },
});

describe('snapshotOf', () => {
  it('reads the close, the day and week change, the filings (not news items) and the statements’ 10-Q', () => {
    const s = snapshotOf('NVDA', {
      prices: { bars },
      analyst: analyst(150),
      news: {
        ticker: 'NVDA',
        events: [
          event('2026-12-05', 'news', 'x', 'Chip maker signs deal'),
          event('2026-12-04', '8-K', '0000000001-26-000002'),
        ],
        source: { provider: 'sec-submissions', ref: 'x' },
      },
      statements: {
        provenance: {
          provider: 'sec-edgar',
          live: true,
          tried: [],
          filing: { form: '10-Q', accession: '0000000001-26-000003', filed: '2026-12-06', periodEnd: '2026-10-26' },
        },
      },
    });
    expect(s.close).toEqual({ date: '2026-12-07', value: 110 });
    expect(s.dayChangePct).toBeCloseTo((110 / 105 - 1) * 100, 10);
    expect(s.weekChangePct).toBeCloseTo((110 / 101 - 1) * 100, 10);
    expect(s.filings.map((f) => [f.key, f.form, f.date, f.title])).toEqual([
      ['0000000001-26-000003', '10-Q', '2026-12-06', 'Quarterly report for the period ended 2026-10-26'],
      ['0000000001-26-000002', '8-K', '2026-12-04', 'Other Events (8.01)'],
    ]);
    expect(s.consensus).toEqual({ asOf: '2026-12-07', rating: 'buy', targetMean: 150, analystCount: 40 });
  });

  it('with one bar: a close, no change; without prices: none', () => {
    expect(snapshotOf('X', { prices: { bars: bars.slice(0, 1) } })).toEqual({
      ticker: 'X',
      close: { date: '2026-12-01', value: 100 },
      filings: [],
      missing: [],
    });
    expect(snapshotOf('X', { missing: ['price history (down)'] }).close).toBeUndefined();
  });
});

const snap = (filings: [string, string][], consensus?: TickerSnapshot['consensus']): TickerSnapshot => ({
  ticker: 'NVDA',
  close: { date: '2026-12-07', value: 110 },
  filings: filings.map(([key, date]) => ({ key, form: '8-K', date, title: `filing ${key}`, items: [] })),
  ...(consensus ? { consensus } : {}),
  missing: [],
});
const c = (targetMean: number, rating = 'buy', analystCount = 40) => ({
  asOf: '2026-12-07',
  rating,
  targetMean,
  analystCount,
});

describe('digestEntry and consensusMoved', () => {
  it('lists the filings the last digest did not know, and a moved target', () => {
    const before = snap([['a', '2026-11-01']], c(150));
    const now = snap(
      [
        ['b', '2026-12-07'],
        ['a', '2026-11-01'],
      ],
      c(160),
    );
    const entry = digestEntry(now, before, '2026-12-07');
    expect(entry.newFilings.map((f) => f.key)).toEqual(['b']);
    expect(entry.consensusChange).toEqual({ from: c(150), to: c(160) });
    expect(entry.first).toBe(false);
  });

  it('a ticker’s first digest lists the filings of the last 7 days up to the session only', () => {
    const now = snap(
      [
        ['new', '2026-12-03'],
        ['old', '2026-11-20'],
        ['later', '2026-12-08'],
      ],
      c(150),
    );
    const entry = digestEntry(now, undefined, '2026-12-07');
    expect(entry.newFilings.map((f) => f.key)).toEqual(['new']);
    expect(entry.consensusChange).toBeUndefined();
  });

  it('a consensus moves with the target (a cent), the rating or the analyst count; not with its date', () => {
    expect(consensusMoved(c(150), c(150.004))).toBe(false);
    expect(consensusMoved(c(150), c(150.01))).toBe(true);
    expect(consensusMoved(c(150), c(150, 'hold'))).toBe(true);
    expect(consensusMoved(c(150), c(150, 'buy', 41))).toBe(true);
    expect(consensusMoved(c(150), { ...c(150), asOf: '2026-12-08' })).toBe(false);
    // Ratings without a target (Finnhub on a free key) on either side: a target on one side only is not a move.
    const { targetMean: _none, ...ratingsOnly } = c(150);
    expect(consensusMoved(c(150), ratingsOnly)).toBe(false);
    expect(consensusMoved(ratingsOnly, { ...ratingsOnly, rating: 'hold' })).toBe(true);
  });
});

describe('nextDigestState', () => {
  it('carries over what could not be read today, and keeps the filings of both', () => {
    const previous = nextDigestState(
      buildDigest('C1', '2026-12-04', ['NVDA'], new Map([['NVDA', snap([['a', '2026-11-01']], c(150))]]), undefined),
      undefined,
      '2026-12-04T21:30:00Z',
      '1.1',
    );
    const today: TickerSnapshot = { ticker: 'NVDA', filings: [], missing: ['company news and filings (down)'] };
    const digest = buildDigest('C1', '2026-12-07', ['NVDA'], new Map([['NVDA', today]]), previous);
    expect(digest.since).toBe('2026-12-04');
    const state = nextDigestState(digest, previous, '2026-12-07T21:30:00Z');
    expect(state.snapshot.NVDA?.filings.map((f) => f.key)).toEqual(['a']);
    expect(state.snapshot.NVDA?.consensus).toEqual(c(150));
    expect(state.snapshot.NVDA?.close).toEqual({ date: '2026-12-07', value: 110 });
    // So the next day's answer, with the news back, finds nothing new.
    const back = digestEntry(snap([['a', '2026-11-01']], c(150)), state.snapshot.NVDA, '2026-12-08');
    expect(back.newFilings).toEqual([]);
  });
});

describe('digestMessage', () => {
  it('stays within Slack’s 50 blocks with 40 tickers, one button each with its own action id', () => {
    const tickers = Array.from({ length: 40 }, (_, i) => `T${String(i).padStart(2, '0')}`);
    const snapshots = new Map(tickers.map((t) => [t, { ...snap([]), ticker: t }]));
    const message = digestMessage(buildDigest('C1', '2026-12-07', tickers, snapshots, undefined));
    expect(message.blocks).toHaveLength(42);
    const ids = message.blocks.flatMap((b) => (b.type === 'section' && b.accessory ? [b.accessory] : []));
    expect(new Set(ids.map((a) => (a as { action_id: string }).action_id)).size).toBe(40);
    expect(ids.every((a) => DIGEST_ACTIONS.report.test((a as { action_id: string }).action_id))).toBe(true);
  });

  it('counts the filings past the first few, and says what could not be read', () => {
    const many = snap(
      Array.from({ length: FILINGS_SHOWN + 2 }, (_, i) => [`k${i}`, `2026-12-0${i + 1}`] as [string, string]),
    );
    const entry = digestEntry({ ...many, missing: ['analyst ratings (timed out)'] }, snap([]), '2026-12-07');
    const text = renderBlocks(
      digestMessage({ channel: 'C1', session: '2026-12-07', since: '2026-12-04', entries: [entry] }).blocks,
    );
    expect(text).toContain('…and 2 more filings');
    expect(text).toContain(':warning: _Not available today: analyst ratings (timed out)_');
    expect(text).toContain('_no analyst consensus_');
  });
});
