import { describe, expect, it } from 'vitest';
import { knownReason } from '../../../src/research/analysts/common.js';

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
