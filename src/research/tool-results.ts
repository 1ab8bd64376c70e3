/**
 * From a tool's answer to a bundle part's data. Our data server answers statements and prices in compact forms sized
 * for a model (`src/mcp-server/compact.ts`); the analysts read the full shapes, so those parts are expanded here,
 * once, as they land. Every other part is the tool's answer as is.
 */
import { expandFinancials, expandPrices } from '../mcp-server/compact.js';
import type { CompanyFinancialsResult, PriceHistoryResult } from '../mcp-server/shapes.js';
import type { BundleKey } from './types.js';

/**
 * The data a bundle part holds for the answer `data` of its tool call: statements (`financialsAnnual`,
 * `financialsQuarterly`) and prices expanded from their compact forms, anything else unchanged.
 */
export function bundlePartData(part: BundleKey, data: unknown): unknown {
  switch (part) {
    case 'financialsAnnual':
    case 'financialsQuarterly':
      return expandFinancials(data as CompanyFinancialsResult);
    case 'prices':
      return expandPrices(data as PriceHistoryResult);
    default:
      return data;
  }
}
