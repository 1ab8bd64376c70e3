/**
 * The upstream requests an error carries belong to the caller whose call was sent: a caller served the same "no
 * data" answer from the cache, or sharing the failed call in flight, sees the error without them, so that concurrent
 * runs of one ticker do not each count the same requests.
 */
import { describe, expect, it } from 'vitest';
import { DataUnavailableError, ToolFailedError } from '../../src/errors.js';
import { emptyUsage, usageOf, withUsage } from '../../src/mcp-server/upstream/usage.js';
import { unavailableFrom, withoutUsage } from '../../src/tools/answered-from.js';

const used = () => ({ ...emptyUsage(), requests: 2, bytes: 300 });

describe('upstream requests carried by errors', () => {
  it('keeps them on the caller that sent the call, and off one served from the cache or a shared call', () => {
    const none = withUsage(new DataUnavailableError('SEC EDGAR has no submissions for CIK 0001652044.'), used());
    expect(usageOf(unavailableFrom(none, 'miss'))).toEqual(used());
    expect(usageOf(unavailableFrom(none, 'coalesced'))).toBeUndefined();
    expect(usageOf(unavailableFrom(none, 'hit'))).toBeUndefined();
  });

  it('copies a failure without them, keeping its class, code and message', () => {
    const failed = withUsage(new ToolFailedError('tickerdesk/get_price_history', 'No source answered for X.'), used());
    const shared = withoutUsage(failed);
    expect(shared).toBeInstanceOf(ToolFailedError);
    expect(shared).toMatchObject({ code: failed.code, message: failed.message });
    expect(usageOf(shared)).toBeUndefined();
    expect(usageOf(failed)).toEqual(used());
    const plain = new ToolFailedError('x', 'no requests');
    expect(withoutUsage(plain)).toBe(plain);
  });

  it('marks nothing when no request was made', () => {
    expect(usageOf(withUsage(new Error('x'), emptyUsage()))).toBeUndefined();
  });
});
