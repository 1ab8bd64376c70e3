import { describe, expect, it } from 'vitest';
import { knownReason, missingReason } from '../../../src/research/analysts/common.js';

describe('knownReason', () => {
  it('reads the note in parentheses that ends the data server\'s "no data" sentence', () => {
    expect(
      knownReason(
        'No financial statements in the bundled data set for SAMSUNG (statements are reported in KRW, not USD).',
      ),
    ).toBe('statements are reported in KRW, not USD');
  });

  it('reads it when the server adds which tools do have data', () => {
    expect(
      knownReason(
        'No price history in the bundled data set for SAMSUNG (prices are quoted in KRW, not USD). This server has no data for SAMSUNG.',
      ),
    ).toBe('prices are quoted in KRW, not USD');
  });

  it('finds none in a kind named in parentheses mid-sentence, or without a note', () => {
    expect(
      knownReason(
        'No insider transactions (SEC Form 4) in the bundled data set for SPY. Tools with data for SPY: get_price_history, analyze_stock.',
      ),
    ).toBeUndefined();
    expect(knownReason('No analyst consensus in the bundled data set for KO.')).toBeUndefined();
  });
});

describe('missingReason', () => {
  const gap = (reason: string) =>
    ({ ticker: 'QXA', analyst: { status: 'unavailable', reason, source: 'tickerdesk/get_analyst_ratings' } }) as never;

  it('says "in the bundled data set" only when the bundle alone was asked', () => {
    expect(missingReason(gap('No analyst consensus in the bundled data set for QXA.'), 'analyst')).toBe(
      'No analyst consensus is available for QXA in the bundled data set.',
    );
  });

  it('says where it looked, with no list of providers read as a reason, when live sources were asked too', () => {
    // Regression: "No analyst consensus is available for QXA in the bundled data set: bundled." in a report on live
    // SEC data, from the chain's "(bundled)".
    const reason = 'No analyst consensus for QXA in any configured source; asked Finnhub and bundled snapshot.';
    expect(missingReason(gap(reason), 'analyst')).toBe(
      'No analyst consensus is available for QXA in the configured data sources.',
    );
  });
});
