import { describe, expect, it } from 'vitest';
import { COMPARISON_PARTS } from '../../src/conversation/offline/comparison.js';
import { TOOL_NAMES } from '../../src/mcp-server/shapes.js';
import { BUNDLE_KEYS, PART_LABELS, planRequests, TICKERDESK_SERVER } from '../../src/research/plan.js';
import type { BundleKey } from '../../src/research/types.js';
import { nvdaBundle } from '../helpers/bundle-fixtures.js';

const PARTS: BundleKey[] = [
  'profile',
  'financialsAnnual',
  'financialsQuarterly',
  'prices',
  'technicals',
  'analyst',
  'news',
  'insider',
];

describe('the bundle parts, listed once', () => {
  it("BUNDLE_KEYS holds every part of a bundle, in the bundle's order", () => {
    expect(BUNDLE_KEYS).toEqual(PARTS);
    expect(BUNDLE_KEYS).toEqual(Object.keys(nvdaBundle()).filter((k) => k !== 'ticker'));
  });

  it('a comparison asks for every part but news and insider trades', () => {
    expect(COMPARISON_PARTS).toEqual(PARTS.filter((p) => p !== 'news' && p !== 'insider'));
  });
});

describe('planRequests', () => {
  it('plans one request per bundle part, on our server, for the given ticker', () => {
    const plan = planRequests('NVDA');
    expect(plan.map((p) => p.part).sort()).toEqual([...PARTS].sort());
    expect(Object.keys(PART_LABELS).sort()).toEqual([...PARTS].sort());
    for (const { request } of plan) {
      expect(request.server).toBe(TICKERDESK_SERVER);
      expect(request.args.ticker).toBe('NVDA');
      expect(TOOL_NAMES).toContain(request.tool);
    }
  });

  it('uses every tool of our server with the agreed arguments', () => {
    const byPart = Object.fromEntries(planRequests('BRK.B').map((p) => [p.part, p.request]));
    expect(new Set(Object.values(byPart).map((r) => r.tool))).toEqual(new Set(TOOL_NAMES));
    expect(byPart.profile).toEqual({ server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'BRK.B' } });
    expect(byPart.financialsAnnual?.args).toEqual({ ticker: 'BRK.B', period: 'annual', limit: 5 });
    expect(byPart.financialsQuarterly?.args).toEqual({ ticker: 'BRK.B', period: 'quarterly', limit: 8 });
    expect(byPart.prices).toMatchObject({ tool: 'get_price_history', args: { ticker: 'BRK.B' } });
    expect(byPart.technicals).toMatchObject({ tool: 'analyze_stock', args: { ticker: 'BRK.B' } });
    expect(byPart.analyst).toMatchObject({ tool: 'get_analyst_ratings', args: { ticker: 'BRK.B' } });
    expect(byPart.news?.args).toEqual({ ticker: 'BRK.B', limit: 20 });
    expect(byPart.insider?.args).toEqual({ ticker: 'BRK.B', limit: 50 });
  });
});
