import { describe, expect, it } from 'vitest';
import { parseResearchCommand } from '../../src/slack/command-text.js';

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
