import { describe, expect, it } from 'vitest';
import { entryState, stamp } from '../../src/tools/freshness.js';
import {
  CLOSE_SETTLE_MS,
  DEFAULT_GRACE_MS,
  FALLBACK_ANSWER_TTL_MS,
  freshnessFor,
  VALIDATED_TTL_MS,
} from '../../src/tools/ttl.js';
import { checkRequest, stillCurrent, validatorOf } from '../../src/tools/validators.js';

const MINUTE = 60_000;
const validator = { tool: 'get_latest_filings', field: 'report', accession: '0001045810-26-000052' };
const secAnswer = { provenance: { provider: 'sec-edgar', live: true, tried: [], validator } };

describe('validators', () => {
  it('reads the validator an answer states and builds its check for the same ticker on the same server', () => {
    expect(validatorOf(secAnswer)).toEqual(validator);
    expect(validatorOf({ provenance: { provider: 'bundled', live: false, tried: [] } })).toBeUndefined();
    expect(validatorOf({ provenance: { validator: { tool: 'x', field: 'report' } } })).toBeUndefined();
    const request = {
      server: 'tickerdesk',
      tool: 'get_company_financials',
      args: { ticker: 'NVDA', period: 'annual' },
    };
    expect(checkRequest(request, validator)).toEqual({
      server: 'tickerdesk',
      tool: 'get_latest_filings',
      args: { ticker: 'NVDA' },
    });
  });

  it('holds an answer while the check names the same filing, and not once a newer one is named', () => {
    const check = (accession: string) => ({ ticker: 'NVDA', report: { form: '10-Q', accession } });
    expect(stillCurrent(validator, check('0001045810-26-000052'))).toBe(true);
    expect(stillCurrent(validator, check('0001045810-26-000077'))).toBe(false);
    expect(stillCurrent(validator, { ticker: 'NVDA' })).toBe(false);
  });
});

describe('freshness rules', () => {
  const saturday = new Date('2026-12-05T15:00:00Z');

  it('keeps an answer with a validator for as long as its filing is the newest, within a 30-day bound', () => {
    expect(freshnessFor('tickerdesk', 'get_company_financials', {}, { data: secAnswer, now: saturday })).toEqual({
      validMs: VALIDATED_TTL_MS,
      graceMs: DEFAULT_GRACE_MS.get_company_financials,
    });
    expect(freshnessFor('tickerdesk', 'get_latest_filings', {}, { now: saturday })).toEqual({
      validMs: 15 * MINUTE,
      graceMs: 0,
    });
  });

  it('serves live prices stale until the close after the one that ends their validity', () => {
    const live = { provenance: { provider: 'yahoo', live: true, tried: [] } };
    const f = freshnessFor('tickerdesk', 'get_price_history', {}, { data: live, now: saturday });
    // Valid until Monday 2026-12-07's close (21:00 UTC) + settle; stale until Tuesday's close + settle.
    expect(new Date(saturday.getTime() + f.validMs).toISOString()).toBe('2026-12-07T21:20:00.000Z');
    expect(new Date(saturday.getTime() + f.validMs + f.graceMs).toISOString()).toBe('2026-12-08T21:20:00.000Z');
    expect(CLOSE_SETTLE_MS).toBe(20 * MINUTE);
  });

  it('keeps a fallback answer valid 5 minutes, then serves it stale for the tool own validity and grace', () => {
    const fallback = {
      provenance: { provider: 'bundled', live: false, tried: [{ provider: 'yahoo', outcome: 'failed', reason: 'x' }] },
    };
    const f = freshnessFor('tickerdesk', 'get_price_history', {}, { data: fallback, now: saturday });
    expect(f.validMs).toBe(FALLBACK_ANSWER_TTL_MS);
    expect(f.validMs + f.graceMs).toBe(15 * MINUTE + (DEFAULT_GRACE_MS.get_price_history ?? 0));
    // A provisional "no data" is never served stale; nor is a tool with an overridden TTL.
    expect(freshnessFor('tickerdesk', 'get_company_profile', {}, { provisional: true }).graceMs).toBe(0);
    expect(freshnessFor('tickerdesk', 'get_company_profile', { get_company_profile: 1000 }).graceMs).toBe(0);
  });

  it('judges a stamped entry fresh, then stale, then expired; an unstamped one is fresh', () => {
    const at = Date.parse('2026-12-05T15:00:00Z');
    const { entry, ttlMs } = stamp(
      { kind: 'data', data: 1, fetchedAt: new Date(at).toISOString() },
      { validMs: 10, graceMs: 5 },
      at,
    );
    expect(ttlMs).toBe(15);
    expect([entryState(entry, at + 9), entryState(entry, at + 10), entryState(entry, at + 15)]).toEqual([
      'fresh',
      'stale',
      'expired',
    ]);
    const none = stamp({ kind: 'unavailable', message: 'no', fetchedAt: '' }, { validMs: 10, graceMs: 5 }, at).entry;
    expect(entryState(none, at + 11)).toBe('expired');
    expect(entryState({ kind: 'data', data: 1, fetchedAt: '' }, at)).toBe('fresh');
  });
});
