/**
 * Insider figures as `src/definitions/insider.ts` defines them: the row rules (issuer, share class, English title,
 * price outside the day's range) and, from the real bundled Form 4 rows, the totals and the concentration over one
 * set of rows and one 12-month window, whatever `limit` the tool is called with.
 */
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { classifyInsiderRow, englishTitle, insiderSummary } from '../../src/definitions/insider.js';
import { createBundledProvider } from '../../src/mcp-server/providers/bundled.js';
import { createServer } from '../../src/mcp-server/server.js';
import type { InsiderTransaction, InsiderTransactions } from '../../src/mcp-server/shapes.js';
import { getFigure } from '../../src/research/analysts/lookup.js';
import type { Findings } from '../../src/research/types.js';
import { bundledResearch } from '../report/bundled-run.js';

const DATA_DIR = path.resolve(import.meta.dirname, '../../data');
const provider = createBundledProvider(DATA_DIR);

describe('insider row rules', () => {
  const range = { date: '2025-11-07', low: 69.41, high: 70.87 };
  it('keeps a sale inside the day range and flags one far outside it (KO 2025-11-07 at $127.00)', () => {
    expect(classifyInsiderRow({ code: 'S', price: 70.1, transactionDate: '2025-11-07' }, 'KO', range)).toEqual({
      shareClass: 'Common stock',
    });
    expect(classifyInsiderRow({ code: 'S', price: 127, transactionDate: '2025-11-07' }, 'KO', range)).toEqual({
      shareClass: 'Common stock',
      problem: "price $127.00 is far outside KO's range of $69.41–$70.87 on 2025-11-07",
    });
  });

  it('does not check award or exercise prices, and flags a sale without a price', () => {
    expect(
      classifyInsiderRow({ code: 'M', price: 18.22, transactionDate: 'x' }, 'TSLA', range).problem,
    ).toBeUndefined();
    expect(classifyInsiderRow({ code: 'S', price: null, transactionDate: 'x' }, 'BRK.B', range).problem).toBe(
      'no trade price in the filing data',
    );
  });

  it("names Berkshire's class from the price (Class A trades near 1,500 times Class B)", () => {
    const day = { date: '2025-03-03', low: 500, high: 520 };
    expect(classifyInsiderRow({ code: 'S', price: 775_883.3, transactionDate: 'x' }, 'BRK.B', day).shareClass).toBe(
      'Class A',
    );
    expect(classifyInsiderRow({ code: 'S', price: 510, transactionDate: 'x' }, 'BRK.B', day).shareClass).toBe(
      'Class B',
    );
  });

  it('decides by the issuer named in the filing when there is one (live Form 4), not by price', () => {
    const issuer = { cik: '0000021344', tickers: ['KO'] };
    const row = { code: 'S', price: 70, transactionDate: 'x', issuerCik: '0000317540' };
    expect(classifyInsiderRow(row, 'KO', range, issuer).problem).toBe("filed for issuer CIK 0000317540, not KO's");
    expect(classifyInsiderRow({ ...row, issuerCik: '21344' }, 'KO', range, issuer).problem).toBeUndefined();
    expect(classifyInsiderRow({ ...row, issuerCik: '21344', issuerTicker: 'COKE' }, 'KO', range, issuer).problem).toBe(
      'filed for COKE, another issuer',
    );
  });

  it('translates titles filed in another language and keeps English ones', () => {
    expect(englishTitle('董事')).toEqual({ title: 'Director', asFiled: '董事' });
    expect(englishTitle('Chief Legal Officer')).toEqual({ title: 'Chief Legal Officer' });
  });

  it('sums only kept open-market rows of the window and takes the top seller from the same rows', () => {
    const row = (d: string, who: string, code: string, value: number, problem?: string): InsiderTransaction => ({
      filingDate: d,
      transactionDate: d,
      insider: who,
      title: '',
      code,
      shares: 1,
      price: value,
      value,
      sharesAfter: null,
      accession: '',
      shareClass: 'Common stock',
      ...(problem ? { problem } : {}),
    });
    const s = insiderSummary([
      row('2026-08-01', 'A', 'S', 300),
      row('2026-07-01', 'B', 'S', 100),
      row('2026-06-01', 'C', 'S', 5_000, 'price far outside'),
      row('2026-05-01', 'D', 'P', 50),
      row('2026-04-01', 'A', 'A', 999),
      row('2025-07-01', 'B', 'S', 10_000),
    ]);
    expect(s).toMatchObject({ sellValue: 400, sellCount: 2, buyValue: 50, buyCount: 1, sellerCount: 2 });
    expect(s.topSeller).toEqual({ insider: 'A', value: 300, sharePct: 75 });
    expect(s.excluded).toEqual({ count: 1, value: 5_000, example: 'C 2026-06-01: price far outside' });
    expect(s).toMatchObject({ from: '2025-08-01', to: '2026-08-01' });
  });
});

/** From the real Form 4 rows (`../shared/data/insider/heliar-k_form4`), recomputed by hand; USD. */
const CASES = [
  // KO: the $2.39B "COCA COLA CO" row is another issuer's securities; KO's own insiders sold $186.3M.
  { ticker: 'KO', sell: 186_290_047, sellCount: 26, top: 58.8973, excluded: 1, excludedValue: 2_392_103_420 },
  // NVDA: over the same 12 months as its totals the largest seller is 68.6 % (79.1 % from the newest 50 rows).
  { ticker: 'NVDA', sell: 523_051_501, sellCount: 51, top: 68.5901, excluded: 0, excludedValue: 0 },
  // BRK.B: Berkshire's own sales of other holdings ($39–$200 a share) and a sale without a price are left out.
  { ticker: 'BRK.B', sell: 0, sellCount: 0, top: undefined, excluded: 6, excludedValue: 474_308_506 },
  // Siblings the audit found: J&J, Robinhood and Alphabet's GV funds filing trades in other companies.
  { ticker: 'JNJ', sell: 106_444_969, sellCount: 17, top: 58.0066, excluded: 4, excludedValue: 97_692 },
  { ticker: 'HOOD', sell: 188_942_990, sellCount: 60, top: 33.0088, excluded: 21, excludedValue: 24_743_716 },
  { ticker: 'GOOGL', sell: 11_021_023, sellCount: 45, top: 52.0229, excluded: 7, excludedValue: 7_066_769 },
];

describe('insider figures on the bundled data set', () => {
  it.each(CASES)('$ticker: sales $sell in $sellCount rows, top seller $top %, $excluded rows left out', async (c) => {
    const few = await provider.insiderTransactions(c.ticker, 5);
    const all = await provider.insiderTransactions(c.ticker, 200);
    expect(few.last12m).toEqual(all.last12m);
    expect(all.last12m).toMatchObject({ sellValue: c.sell, sellCount: c.sellCount });
    expect(all.last12m.topSeller?.sharePct).toBe(c.top);
    expect(all.last12m.excluded).toMatchObject({ count: c.excluded, value: c.excludedValue });
  });

  it('gives every row an English title and a share class, keeping the title as filed', async () => {
    for (const ticker of provider.tickers()) {
      if (!provider.load().tickers[ticker]?.has.includes('insider')) continue;
      const { transactions } = await provider.insiderTransactions(ticker, 200);
      for (const t of transactions) {
        expect(t.title, `${ticker} ${t.accession}`).not.toMatch(/[^\x20-\x7e]/);
        expect(t.shareClass, `${ticker} ${t.accession}`).toBeTruthy();
      }
    }
    const nvda = await provider.insiderTransactions('NVDA', 200);
    const stevens = nvda.transactions.find((t) => t.insider === 'STEVENS MARK A');
    expect(stevens).toMatchObject({ title: 'Director', titleAsFiled: '董事' });
  });

  it("KO's report states its own insiders' $186.3M and the left-out $2.39B row as a data problem", async () => {
    const { research, close } = await bundledResearch();
    try {
      const result = await research.start('KO').result;
      const risk = result.findings.find((f) => f.analyst === 'risk') as Findings;
      expect(getFigure(risk, 'insider_sell_value_12m')?.value).toBe(186_290_047);
      expect(getFigure(risk, 'insider_top_seller_share')?.value).toBe(58.8973);
      const text = result.sections.find((s) => s.id === 'risks')?.markdown ?? '';
      expect(text).toContain('Insiders sold $186.3M of stock in 26 open-market sales');
      expect(text).toContain('One open-market Form 4 row worth $2.39B was left out as a data problem');
    } finally {
      await close();
    }
  });
});

describe('get_insider_transactions over MCP (issue 20, item 4)', () => {
  it("answers English titles and a share class on every row; Berkshire's Class A trade is labelled", async () => {
    const server = createServer({ provider });
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'insider-test', version: '1.0.0' });
    await Promise.all([server.connect(b), client.connect(a)]);
    try {
      const call = async (ticker: string) =>
        (await client.callTool({ name: 'get_insider_transactions', arguments: { ticker, limit: 100 } }))
          .structuredContent as unknown as InsiderTransactions;
      const nvda = await call('NVDA');
      expect(nvda.transactions.every((t) => t.shareClass === 'Common stock' && !/[^\x20-\x7e]/.test(t.title))).toBe(
        true,
      );
      expect(nvda.transactions.filter((t) => t.titleAsFiled === '董事').every((t) => t.title === 'Director')).toBe(
        true,
      );
      const brk = await call('BRK.B');
      expect(brk.transactions.find((t) => t.price === 775_883.3)?.shareClass).toBe('Class A');
      expect(brk.transactions.filter((t) => t.problem).length).toBeGreaterThan(0);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
