import { describe, expect, it } from 'vitest';
import { DataUnavailableError, InvalidInputError, ToolFailedError, UnknownTickerError } from '../../src/errors.js';
import { dataFromResult, errorFromResult } from '../../src/tools/result-mapping.js';

const text = (t: string) => [{ type: 'text', text: t }];

describe('MCP result mapping', () => {
  it('returns structuredContent when present, else the JSON in the text content', () => {
    expect(dataFromResult('s/t', {}, { structuredContent: { a: 1 }, content: text('{"a":2}') })).toEqual({ a: 1 });
    expect(dataFromResult('s/t', {}, { content: text('[1,2,3]') })).toEqual([1, 2, 3]);
  });

  it('rejects empty or non-JSON content with a plain ToolFailedError', () => {
    expect(() => dataFromResult('s/t', {}, { content: [] })).toThrow('The data tool s/t returned no data.');
    let err: unknown;
    try {
      dataFromResult('s/t', {}, { content: text('<html>502 Bad Gateway</html>') });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ToolFailedError);
    expect(err).toMatchObject({ transient: false, tool: 's/t' });
    expect((err as Error).message).toContain('returned text that is not data');
  });

  it('maps _meta codes to typed errors', () => {
    const unknown = errorFromResult(
      's/t',
      { ticker: 'NVDX' },
      {
        isError: true,
        content: text('Unknown.'),
        _meta: { code: 'tickerdesk_unknown_ticker', suggestions: ['NVDA', 7] },
      },
    );
    expect(unknown).toBeInstanceOf(UnknownTickerError);
    expect(unknown).toMatchObject({ ticker: 'NVDX', suggestions: ['NVDA'] });

    const unavailable = errorFromResult(
      's/t',
      {},
      {
        isError: true,
        content: text('No analyst coverage for XYZ.'),
        _meta: { code: 'tickerdesk_data_unavailable' },
      },
    );
    expect(unavailable).toBeInstanceOf(DataUnavailableError);
    expect(unavailable.message).toBe('No analyst coverage for XYZ.');
    expect((unavailable as DataUnavailableError).provisional).toBeUndefined();
    const provisional = errorFromResult(
      's/t',
      {},
      {
        isError: true,
        content: text('No price history for A.'),
        _meta: { code: 'tickerdesk_data_unavailable', provisional: true },
      },
    );
    expect((provisional as DataUnavailableError).provisional).toBe(true);

    const invalid = errorFromResult(
      's/t',
      {},
      { isError: true, content: text('Bad limit.'), _meta: { code: 'tickerdesk_invalid_input' } },
    );
    expect(invalid).toBeInstanceOf(InvalidInputError);

    const other = errorFromResult('s/t', {}, { isError: true, content: text('Boom.'), _meta: { code: 'x' } });
    expect(other).toBeInstanceOf(ToolFailedError);
    expect(other).toMatchObject({ transient: false, message: 'The data tool s/t failed: Boom.' });

    const bare = errorFromResult('s/t', {}, { isError: true });
    expect(errorFromResult('s/t', {}, { isError: true, _meta: { code: 'tickerdesk_data_unavailable' } }).message).toBe(
      'The data tool s/t has no data for this request.',
    );
    expect(bare.message).toBe('The data tool s/t failed: it gave no reason.');
  });

  it('throws the mapped error from dataFromResult for isError results', () => {
    expect(() =>
      dataFromResult('s/t', {}, { isError: true, structuredContent: { a: 1 }, content: text('No.') }),
    ).toThrow(ToolFailedError);
  });
});
