/**
 * The scope of our data server's answers in the tool cache: a fingerprint of the settings its answers depend on, part
 * of every cache key of its calls (`cacheKey`'s `#scope`). Changing a setting that changes answers (`DATA_SOURCE`, a
 * provider order, live SEC or Finnhub on or off, a base URL, `DATA_DIR`) moves the server's answers to another scope:
 * an answer made under the old settings is never served (it expires unread, or `/perf flush-cache` removes it), and
 * going back to them finds their answers again. Restarting with the same settings gives the same scope: warm hits.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { answerSettings } from '../data-config.js';
import { canonicalize } from './cache-key.js';

/**
 * The fingerprint of the settings our data server's answers depend on: the first 12 hex digits of the SHA-256 of the
 * canonical JSON of `answerSettings(config.data)` (no secret: the Finnhub key enters as whether it is set) and
 * `DATA_DIR` (the bundled data set). Stable across processes and restarts.
 */
export function dataScope(config: Pick<Config, 'data' | 'dataDir'>): string {
  const settings = { ...answerSettings(config.data), DATA_DIR: config.dataDir };
  return createHash('sha256')
    .update(JSON.stringify(canonicalize(settings)))
    .digest('hex')
    .slice(0, 12);
}
