/**
 * A run's upstream accounting: the HTTP requests live providers made for its data (requests, bytes, 429s, latency
 * per host), summed from the provenance of the bundle parts the run fetched itself, and of the checks it made of
 * cached parts that rest on filings. Parts served from the cache, or shared with another run's call in flight, cost
 * this run nothing upstream.
 */
import type { Provenance } from '../mcp-server/shapes.js';
import { emptyUsage, mergeUsage, type UpstreamUsage } from '../mcp-server/upstream/usage.js';
import type { BundleKey, DataBundle } from './types.js';

/**
 * The upstream requests made for `bundle`'s parts that were fetched by this run (cache `miss`), those that ended in
 * "no data" or a failure included.
 */
export function upstreamOf(bundle: DataBundle): UpstreamUsage {
  const total = emptyUsage();
  for (const key of Object.keys(bundle) as (BundleKey | 'ticker')[]) {
    if (key === 'ticker') continue;
    const part = bundle[key];
    if (part === undefined) continue;
    // A "no data" answer or a failure carries the requests this run's call made for it.
    if (part.status !== 'ok') {
      if (part.upstream) mergeUsage(total, part.upstream);
      continue;
    }
    // A cached answer checked against the newest filings costs the check, when this run made it.
    const check = part.validatedBy;
    if (check?.cache === 'miss') {
      const used = (check.data as { provenance?: Provenance } | null)?.provenance?.upstream;
      if (used) mergeUsage(total, used);
    }
    if (part.cache !== 'miss') continue;
    const used = (part.data as { provenance?: Provenance } | null)?.provenance?.upstream;
    if (used) mergeUsage(total, used);
  }
  return total;
}
