/**
 * Live insider transactions from SEC Form 4: the ownership XML reader on a filed document, which filings the
 * submissions give (newest first, 12 months, at most 60), and the `sec-edgar` provider against the SEC stand-in —
 * rows and totals from the stand-in's Form 4s, a malformed or missing filing skipped with a note, the bounds
 * counted on the stand-in, and Form 4 requests queued behind a statements request made after them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { BundledProvider } from '../../../src/mcp-server/providers/bundled.js';
import { buildProviders } from '../../../src/mcp-server/providers/registry.js';
import { SecClient } from '../../../src/mcp-server/providers/sec-edgar/client.js';
import { type Form4Filing, form4Filings, form4XmlDocument } from '../../../src/mcp-server/providers/sec-edgar/form4.js';
import { parseForm4 } from '../../../src/mcp-server/providers/sec-edgar/form4-xml.js';
import { type Form4Options, SecEdgarProvider } from '../../../src/mcp-server/providers/sec-edgar/provider.js';
import { UpstreamClient } from '../../../src/mcp-server/upstream/client.js';
import type { Form4Row } from '../../helpers/form4-xml.js';
import { liveEnv } from '../../helpers/live-env.js';
import { FORM4_PATH, type SecStandIn, startSecStandIn } from '../../helpers/sec-stand-in.js';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/live/sec');
const UA = { 'user-agent': 'tickerdesk tests tests@example.com' };
const NVDA_CIK = '0001045810';

function gzJson<T>(file: string): T {
  return JSON.parse(gunzipSync(readFileSync(path.join(FIXTURES, file))).toString('utf8')) as T;
}

const recordedRows = gzJson<Record<string, Record<string, Form4Row[]>>>('form4-rows.json.gz');

let sec: SecStandIn;
beforeAll(async () => {
  // SEC's own limit is not under test here (the upstream client's tests cover it): a fast stand-in and client.
  sec = await startSecStandIn({ limitPerSecond: 10_000 });
});
afterAll(() => sec.close());
afterEach(() => {
  sec.clearFaults();
  sec.requests.length = 0;
});

function provider(form4: Form4Options = {}, extra: Partial<ConstructorParameters<typeof UpstreamClient>[0]> = {}) {
  const upstream = new UpstreamClient({
    hosts: { [sec.host]: { perSecond: 1000, concurrency: 4, headers: UA } },
    retries: 0,
    ...extra,
  });
  return new SecEdgarProvider(new SecClient(upstream, { dataUrl: sec.url, wwwUrl: sec.url }), form4);
}

describe('Form 4 ownership XML', () => {
  it("reads a filed Form 4: issuer, reporting owner and role, the non-derivative rows (not the derivative table's)", () => {
    const doc = parseForm4(readFileSync(path.join(FIXTURES, 'form4-374water.xml'), 'utf8'));
    expect(doc.documentType).toBe('4');
    expect(doc.issuer).toEqual({ cik: '0000933972', name: '374Water Inc.', ticker: 'SCWO' });
    expect(doc.owners).toEqual([
      { cik: '0002064133', name: 'Melkote Rajesh Ramaswamy', title: 'Chief Technology Officer' },
    ]);
    expect(doc.transactions).toEqual([
      {
        securityTitle: 'Common Stock (restricted stock units)',
        date: '2025-04-30',
        code: 'A',
        shares: 757756,
        price: 0,
        acquiredDisposed: 'A',
        sharesAfter: 757756,
      },
    ]);
  });

  it('refuses text that is not well-formed XML or not a Form 4', () => {
    expect(() => parseForm4('<ownershipDocument><documentType>4</documentType>')).toThrow(/not well-formed XML/);
    expect(() => parseForm4('<html><body>Service notice</body></html>')).toThrow(/no <ownershipDocument>/);
    expect(() => parseForm4('<ownershipDocument><documentType>3</documentType></ownershipDocument>')).toThrow(
      /type 3, not Form 4/,
    );
  });

  it('lists the newest Form 4 and 4/A filings of a submissions document, within 12 months, at most 60, as raw XML', () => {
    const sub = gzJson<{ filings: { recent: Record<string, string[]> } }>('submissions-NVDA.json.gz');
    const filings = form4Filings(sub);
    expect(filings).toHaveLength(60);
    expect(filings[0]).toMatchObject({ filingDate: '2026-03-04', form: '4' });
    expect(filings.map((f) => f.filingDate)).toEqual([...filings.map((f) => f.filingDate)].sort().reverse());
    expect(filings.every((f) => !f.document.includes('/') && f.document.endsWith('.xml'))).toBe(true);
    const aapl = form4Filings(gzJson('submissions-AAPL.json.gz'));
    expect(aapl.length).toBeLessThan(60);
    expect(aapl.every((f) => f.filingDate > '2025-02-26')).toBe(true);
    expect(form4XmlDocument('xslF345X05/wk-form4_1772663608.xml')).toBe('wk-form4_1772663608.xml');
  });
});

/** The recorded rows of `filings` (what the stand-in serves for them). */
function rowsOf(ticker: string, filings: readonly Form4Filing[]): Form4Row[] {
  return filings.flatMap((f) => recordedRows[ticker]?.[f.accession] ?? []);
}

describe('the sec-edgar provider: insider transactions', () => {
  it("answers NVDA's insiders from the stand-in's Form 4s, newest first, with the 12-month totals of their rows", async () => {
    const answer = await provider().insiderTransactions('NVDA', 100);
    const filings = form4Filings(gzJson('submissions-NVDA.json.gz'));
    const rows = rowsOf('NVDA', filings);
    const sales = rows.filter((r) => r[3] === 'S');
    const buys = rows.filter((r) => r[3] === 'P');
    expect(sales.length).toBeGreaterThan(10);
    expect(answer.last12m.sellCount).toBe(sales.length);
    expect(answer.last12m.buyCount).toBe(buys.length);
    // Each row's value is rounded to cents before summing: within a dollar of the raw sum.
    const saleValue = sales.reduce((s, r) => s + (r[5] ?? 0) * r[4], 0);
    expect(Math.abs(answer.last12m.sellValue - saleValue)).toBeLessThanOrEqual(1);
    expect(answer.last12m.to).toBe('2026-03-04');
    expect(answer.source).toMatchObject({ provider: 'sec-form4', asOf: '2026-03-04' });
    const first = answer.transactions[0];
    expect(first).toMatchObject({ filingDate: '2026-03-04', shareClass: 'Common stock' });
    expect(first?.url).toMatch(/^https:\/\/www\.sec\.gov\/Archives\/edgar\/data\/1045810\/\d{18}\/[\d-]+-index\.htm$/);
    // The recorded Chinese director title comes back in English, as the bundled rows do.
    const director = answer.transactions.find((t) => t.title === 'Director');
    expect(director).toBeDefined();
    const huang = answer.transactions.find((t) => t.insider === 'HUANG JEN HSUN' && t.code === 'S');
    expect(huang).toMatchObject({ title: 'President and CEO' });
    expect(huang?.value).toBeCloseTo((huang?.price ?? 0) * (huang?.shares ?? 0), 2);
    expect(answer.transactions.every((t) => !t.problem)).toBe(true);
    expect(answer.transactions.map((t) => t.filingDate)).toEqual(
      [...answer.transactions.map((t) => t.filingDate)].sort().reverse(),
    );
  });

  it('skips a malformed and a missing Form 4 with a note, and answers from the rest', async () => {
    const filings = form4Filings(gzJson('submissions-NVDA.json.gz'));
    const [broken, missing] = filings.filter((f) => recordedRows.NVDA?.[f.accession]);
    if (!broken || !missing) throw new Error('fixture has too few Form 4s');
    sec.setForm4(broken.accession, '<ownershipDocument><documentType>4</documentType><issuer>');
    sec.setForm4(missing.accession, undefined);
    try {
      const answer = await provider().insiderTransactions('NVDA', 100);
      expect(answer.note).toMatch(/^Read \d+ of 60 Form 4 filings\. Skipped \d+ that could not be read: /);
      expect(answer.note).toContain(`${broken.accession} (`);
      expect(answer.note).toMatch(/not well-formed XML/);
      expect(answer.note).toContain(`${missing.accession} (127.0.0.1:`);
      expect(answer.note).toMatch(/answered HTTP 404/);
      const accessions = new Set(answer.transactions.map((t) => t.accession));
      expect(accessions.has(broken.accession)).toBe(false);
      expect(accessions.has(missing.accession)).toBe(false);
      const kept = filings.filter((f) => f !== broken && f !== missing);
      expect(answer.last12m.sellCount).toBe(rowsOf('NVDA', kept).filter((r) => r[3] === 'S').length);
    } finally {
      const issuer = { cik: NVDA_CIK, name: 'NVIDIA CORP', ticker: 'NVDA' };
      const { form4Xml } = await import('../../helpers/form4-xml.js');
      for (const f of [broken, missing]) {
        sec.setForm4(f.accession, form4Xml(issuer, f.accession.slice(0, 10), recordedRows.NVDA?.[f.accession] ?? []));
      }
    }
  });

  it('asks SEC for at most 60 Form 4s, none older than 12 months before the newest, each once', async () => {
    await provider().insiderTransactions('NVDA', 10);
    const nvda = sec.form4Requests();
    expect(nvda).toHaveLength(60);
    expect(new Set(nvda).size).toBe(60);
    expect(nvda.every((p) => FORM4_PATH.exec(p)?.[1] === '1045810')).toBe(true);
    sec.requests.length = 0;
    await provider().insiderTransactions('AAPL', 10);
    const aapl = sec.form4Requests();
    const inWindow = form4Filings(gzJson('submissions-AAPL.json.gz'), { maxFilings: 1000 });
    expect(inWindow.every((f) => f.filingDate > '2025-02-26')).toBe(true);
    expect(aapl).toHaveLength(inWindow.length);
    expect(aapl.length).toBeLessThan(60);
  });

  it('queues Form 4 requests behind a statements request made after them', async () => {
    const started: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const sec4 = provider(
      { maxFilings: 30, waitMs: 60_000 },
      {
        fetch: async (input, init) => {
          const url = String(input);
          const form4 = FORM4_PATH.test(new URL(url).pathname);
          started.push(form4 ? 'form4' : new URL(url).pathname);
          if (form4 && started.filter((s) => s === 'form4').length <= 4) await gate;
          return fetch(input, init);
        },
      },
    );
    await sec4.profile('NVDA'); // the ticker map and submissions, read before
    const insiders = sec4.insiderTransactions('NVDA', 10);
    // Four Form 4 requests hold the four connections; the other 26 wait in the queue.
    await vi.waitFor(() => expect(started.filter((s) => s === 'form4')).toHaveLength(4));
    const statements = sec4.financials('NVDA', 'annual', 3);
    open();
    await Promise.all([insiders, statements]);
    const form4Before = started.indexOf('/api/xbrl/companyfacts/CIK0001045810.json') - 2;
    expect(started.slice(0, 2)).toEqual(['/files/company_tickers_exchange.json', '/submissions/CIK0001045810.json']);
    expect(form4Before).toBe(4);
    expect(started.filter((s) => s === 'form4')).toHaveLength(30);
  });

  it('is the first provider of the insiders chain when SEC is on, before the bundle', () => {
    const config = loadConfig(liveEnv(sec, { url: sec.url }));
    const built = buildProviders(config.data, new BundledProvider(config.dataDir));
    expect(built.provider.chain('insiders').map((m) => m.id)).toEqual(['sec-edgar', 'bundled']);
  });
});
