/**
 * Canonical cache keys for tool calls: the same question always maps to the same key, whatever the argument order,
 * the ticker's case, or `undefined` fields.
 */
import type { ToolRequest } from './types.js';

/**
 * Canonical form of a JSON-like value: object keys sorted recursively, `undefined` fields dropped, and any `ticker`
 * string upper-cased and trimmed. Arrays keep their order.
 */
export function canonicalize(value: unknown, key?: string): unknown {
  if (key === 'ticker' && typeof value === 'string') return value.trim().toUpperCase();
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonicalize(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonicalize(v, k);
    }
    return out;
  }
  return value;
}

/**
 * Version of a tool's answer shape, by `server/tool`, for tools whose answer changed shape: it is part of the cache
 * key, so an answer cached in the older shape (a SQLite file or Redis shared with an older instance) is never read
 * as the newer one; it expires unread. Version 2 of statements and prices is the compact form of
 * `src/mcp-server/compact.ts`.
 */
export const ANSWER_SHAPE_VERSIONS: Readonly<Record<string, number>> = {
  'tickerdesk/get_company_financials': 2,
  'tickerdesk/get_price_history': 2,
};

/**
 * The cache key of a tool call: `server/tool` (with `@vN` when {@link ANSWER_SHAPE_VERSIONS} lists it; with `#scope`
 * when given), `:`, then the canonical JSON of its arguments. The scope names what else the answer depends on: for
 * our data server, the fingerprint of its data settings (`data-scope.ts`), so an answer made under other settings
 * (another `DATA_SOURCE`, live SEC off, another base URL) is never read; it expires unread.
 * @example cacheKey({ server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'nvda' } })
 *   === 'tickerdesk/get_company_profile:{"ticker":"NVDA"}'
 * @example cacheKey({ server: 'tickerdesk', tool: 'get_price_history', args: { ticker: 'NVDA' } }, '0f1e2d3c4b5a')
 *   === 'tickerdesk/get_price_history@v2#0f1e2d3c4b5a:{"ticker":"NVDA"}'
 */
export function cacheKey(request: ToolRequest, scope?: string): string {
  const name = `${request.server}/${request.tool}`;
  const version = ANSWER_SHAPE_VERSIONS[name];
  const prefix = `${name}${version === undefined ? '' : `@v${version}`}${scope ? `#${scope}` : ''}`;
  return `${prefix}:${JSON.stringify(canonicalize(request.args ?? {}))}`;
}

/** The arguments actually sent to the server: canonical (ticker upper-cased, `undefined` dropped). */
export function canonicalArgs(args: Record<string, unknown> | undefined): Record<string, unknown> {
  return canonicalize(args ?? {}) as Record<string, unknown>;
}
