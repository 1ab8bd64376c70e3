import { describe, expect, it } from 'vitest';
import { parseResearchCommand, parseWatchCommand } from '../../src/slack/command-text.js';

describe('parseResearchCommand', () => {
  it('takes --file out of the ticker text', () => {
    expect(parseResearchCommand('NVDA --file')).toEqual({ tickerText: 'NVDA', attachReport: true });
    expect(parseResearchCommand('  --FILE $aapl ')).toEqual({ tickerText: '$aapl', attachReport: true });
    expect(parseResearchCommand('BRK.B -f')).toEqual({ tickerText: 'BRK.B', attachReport: true });
  });

  it('leaves plain text as it is', () => {
    expect(parseResearchCommand('nvda')).toEqual({ tickerText: 'nvda', attachReport: false });
    expect(parseResearchCommand('NVDA AAPL')).toEqual({ tickerText: 'NVDA AAPL', attachReport: false });
  });
});

describe('parseWatchCommand', () => {
  it('reads the verb in any case and the tickers separated by spaces or commas', () => {
    expect(parseWatchCommand('watch NVDA, amd')).toEqual({ verb: 'watch', words: ['NVDA', 'amd'] });
    expect(parseWatchCommand('  UNWATCH nvda ')).toEqual({ verb: 'unwatch', words: ['nvda'] });
    expect(parseWatchCommand('watchlist')).toEqual({ verb: 'watchlist', words: [] });
  });

  it('leaves research requests alone', () => {
    expect(parseWatchCommand('NVDA --file')).toBeUndefined();
    expect(parseWatchCommand('')).toBeUndefined();
    expect(parseWatchCommand('watchers')).toBeUndefined();
  });
});
