import { describe, expect, it } from 'vitest';
import { asksForHelp, readTextRequest, withoutMentions } from '../../src/slack/request-text.js';

const KNOWN = new Set(['NVDA', 'AMD', 'AAPL', 'IT', 'NOW', 'A', 'ALL', 'KEY', 'BRK.B', 'ON', 'LOW']);

describe('readTextRequest', () => {
  it('reads help, an empty text and the whole text as one ticker', () => {
    expect(readTextRequest('', KNOWN)).toEqual({ kind: 'help' });
    expect(readTextRequest(' Help ', KNOWN)).toEqual({ kind: 'help' });
    expect(readTextRequest('$nvda', KNOWN)).toEqual({ kind: 'ticker', ticker: 'NVDA' });
    expect(readTextRequest('NVDX', KNOWN)).toEqual({ kind: 'ticker', ticker: 'NVDX' }); // refused later, with close matches
    expect(readTextRequest('brk-b?', KNOWN)).toEqual({ kind: 'ticker', ticker: 'BRK.B' });
  });

  it('finds one ticker in a sentence, reading everyday words as words unless written in capitals or with $', () => {
    expect(readTextRequest('what do you think of nvda?', KNOWN)).toEqual({ kind: 'ticker', ticker: 'NVDA' });
    expect(readTextRequest("Thoughts on nvda's quarter…", KNOWN)).toEqual({ kind: 'ticker', ticker: 'NVDA' });
    expect(readTextRequest('is it a buy now, all things considered? AMD', KNOWN)).toEqual({
      kind: 'ticker',
      ticker: 'AMD',
    });
    expect(readTextRequest('what about BRK.B.', KNOWN)).toEqual({ kind: 'ticker', ticker: 'BRK.B' });
    expect(readTextRequest('how is $it doing', KNOWN)).toEqual({ kind: 'ticker', ticker: 'IT' });
  });

  it('says when a sentence names none or several', () => {
    expect(readTextRequest('is it a good time to buy?', KNOWN)).toEqual({ kind: 'none' });
    expect(readTextRequest('AMD or nvda?', KNOWN)).toEqual({ kind: 'several', tickers: ['AMD', 'NVDA'] });
  });

  it('without a ticker directory counts only $ words and capitals', () => {
    expect(readTextRequest('what do you think of nvda?')).toEqual({ kind: 'none' });
    expect(readTextRequest('what do you think of NVDA?')).toEqual({ kind: 'ticker', ticker: 'NVDA' });
  });

  it('removes user mentions and knows the help words', () => {
    expect(withoutMentions('<@U0BOT> NVDA <@U0X|bob>')).toBe('NVDA');
    expect(['help', '?', '--help'].every(asksForHelp)).toBe(true);
    expect(asksForHelp('helpful')).toBe(false);
  });
});
