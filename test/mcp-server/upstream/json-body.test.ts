/** Reading a provider's JSON body: a body cut short is told from one that is whole but not JSON. */
import { describe, expect, it } from 'vitest';
import { UpstreamFormatError, UpstreamTimeoutError } from '../../../src/mcp-server/upstream/errors.js';
import { endsEarly, parseJsonBody } from '../../../src/mcp-server/upstream/json-body.js';

const DOC = JSON.stringify({ cik: '0000320193', name: 'Apple Inc. {"quoted"} [x]', filings: [1, { a: '\\"}' }] });

describe('endsEarly', () => {
  it('finds every cut of a JSON document short, whatever character it stops at', () => {
    for (let i = 1; i < DOC.length; i++) expect(endsEarly(DOC.slice(0, i)), DOC.slice(0, i)).toBe(true);
    expect(endsEarly(DOC)).toBe(false);
  });

  it('does not take a whole answer that is not JSON for a cut one', () => {
    for (const text of ['<!DOCTYPE html><html></html>', 'Service unavailable', '', '{"a":1}x', '[1,2]]']) {
      expect(endsEarly(text), text).toBe(false);
    }
  });
});

describe('parseJsonBody', () => {
  it('names a cut gzip body as an answer that broke off, and a whole foreign one by what it is', () => {
    expect(() => parseJsonBody('data.sec.gov', DOC.slice(0, 40), 'JSON', 'gzip')).toThrow(
      new UpstreamTimeoutError('data.sec.gov', "data.sec.gov's answer broke off (truncated gzip body)."),
    );
    expect(() => parseJsonBody('data.sec.gov', '', 'JSON', 'gzip')).toThrow(/broke off \(truncated gzip body\)/);
    expect(() => parseJsonBody('data.sec.gov', DOC.slice(0, 40), 'JSON', null)).toThrow(/broke off \(truncated body\)/);
    expect(() => parseJsonBody('h', '<html></html>', 'chart JSON', 'gzip')).toThrow(UpstreamFormatError);
    expect(() => parseJsonBody('h', '<html></html>', 'chart JSON')).toThrow(
      'h answered with HTML instead of chart JSON.',
    );
    expect(() => parseJsonBody('h', 'oops', 'chart JSON')).toThrow('h answered with a body that is not JSON.');
    expect(parseJsonBody('h', DOC, 'JSON', 'gzip')).toEqual(JSON.parse(DOC));
  });
});
