/**
 * A local stand-in for SEC EDGAR (both `www.sec.gov` and `data.sec.gov` paths on one 127.0.0.1 port), serving the
 * recorded SEC JSON in `test/fixtures/live/sec/` as SEC does: gzip when accepted, 403 without a `User-Agent` that
 * names a contact (an e-mail address), and 429 with `Retry-After` past 10 requests in any second. Form 4 ownership
 * XML is served from the filing folders (`/Archives/edgar/data/<cik>/<accession without dashes>/<document>`, the
 * submissions' `primaryDocument` without its `xslF345X0N/` rendering folder) for every Form 4 whose rows are recorded
 * in `form4-rows.json.gz`, written in SEC's ownership schema (`./form4-xml.ts`); others answer 404, as does the
 * rendered path. Tests can add a newer filing to a company's submissions ({@link SecStandIn.addFiling}), replace a
 * Form 4's XML ({@link SecStandIn.setForm4}) and script faults.
 *
 * Recorded SEC JSON exists for four companies only. A test that needs more (many tickers at once, as the rate-limit
 * tests do) asks for {@link DERIVED_COMPANIES}: DERIVED copies, not real companies — each is NVIDIA's or Apple's
 * recorded submissions and companyfacts under a CIK no real filer has (9000001…) and a made-up ticker (QXA…) and
 * name, listed in the ticker map like any other, so they are answered in SEC's real format and cost the same
 * requests. Their Form 4 XML is their source company's (its issuer is that company).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type Form4Row, form4Xml } from './form4-xml.js';
import { type HttpStandIn, startHttpStandIn } from './http-stand-in.js';

const DIR = path.join(import.meta.dirname, '../fixtures/live/sec');

/** Tickers with recorded submissions (NVDA and AAPL also have companyfacts; MSFT and TSLA answer 404 there). */
export const SEC_FIXTURE_TICKERS = ['NVDA', 'AAPL', 'MSFT', 'TSLA'] as const;

const WITH_FACTS: readonly string[] = ['NVDA', 'AAPL'];

function readGzJson(file: string): Record<string, unknown> {
  return JSON.parse(gunzipSync(readFileSync(path.join(DIR, file))).toString('utf8')) as Record<string, unknown>;
}

/** A filing to add at the top of a company's recent filings. */
export interface NewFiling {
  form: string;
  filingDate: string;
  accessionNumber: string;
  items?: string;
  /** The period it reports (submissions' `reportDate`). */
  reportDate?: string;
  /** XBRL facts it reports, added to the company's companyfacts (us-gaap, in USD unless `unit` says otherwise). */
  facts?: { tag: string; unit?: string; start?: string; end: string; val: number; fy: number; fp: string }[];
}

/** The SEC stand-in. `throttled` counts the 429s it answered. */
export interface SecStandIn extends HttpStandIn {
  throttled(): number;
  addFiling(ticker: string, filing: NewFiling): void;
  /** Serve `xml` as the Form 4 document of `accession` (any path in its folder); `undefined` answers 404. */
  setForm4(accession: string, xml: string | undefined): void;
  /** Requests for Form 4 documents so far, in arrival order. */
  form4Requests(): string[];
}

/** A derived company: a copy of `from`'s recorded SEC JSON under its own CIK, ticker and name (see the module comment). */
export interface DerivedCompany {
  ticker: string;
  cik: number;
  name: string;
  from: 'NVDA' | 'AAPL';
}

/** Derived companies, in the order {@link startSecStandIn}'s `derived` count takes them. Not real filers. */
export const DERIVED_COMPANIES: readonly DerivedCompany[] = Array.from({ length: 60 }, (_, i) => {
  // QXA … QXZ, QYA … QYZ, QZA …: three-letter tickers that no listed company and no bundled ticker uses.
  const ticker = `Q${'XYZ'[Math.floor(i / 26)]}${String.fromCharCode(65 + (i % 26))}`;
  return {
    ticker,
    cik: 9_000_001 + i,
    name: `${ticker} TEST COPY OF ${i % 2 === 0 ? 'NVIDIA CORP' : 'APPLE INC'}`,
    from: i % 2 === 0 ? 'NVDA' : 'AAPL',
  };
});

/** The path of a Form 4 document in its filing folder (`/Archives/edgar/data/<cik>/<accession no dashes>/<file>`). */
export const FORM4_PATH = /^\/Archives\/edgar\/data\/(\d+)\/(\d{18})\/([^?]+)$/;

/** Start the SEC stand-in. `limitPerSecond` is SEC's fair-access limit (10). */
export async function startSecStandIn(
  options: {
    latencyMs?: [number, number];
    limitPerSecond?: number;
    /** How many {@link DERIVED_COMPANIES} to serve besides the recorded four. @default 0 */
    derived?: number;
  } = {},
): Promise<SecStandIn> {
  const limit = options.limitPerSecond ?? 10;
  const map = JSON.parse(readFileSync(path.join(DIR, 'company_tickers_exchange.json'), 'utf8')) as {
    data: [number, string, string, string][];
  };
  const byCik = new Map<string, { submissions: Record<string, unknown>; facts: string | undefined }>();
  const form4Rows = readGzJson('form4-rows.json.gz') as unknown as Record<string, Record<string, Form4Row[]>>;
  /** Form 4 XML by accession without dashes: the document file name and its text. */
  const form4 = new Map<string, { document: string; xml: string | undefined }>();
  for (const ticker of SEC_FIXTURE_TICKERS) {
    const row = map.data.find((r) => r[2] === ticker);
    if (!row) continue;
    const cik = String(row[0]).padStart(10, '0');
    const facts = WITH_FACTS.includes(ticker)
      ? gunzipSync(readFileSync(path.join(DIR, `companyfacts-${ticker}.json.gz`))).toString('utf8')
      : undefined;
    const submissions = readGzJson(`submissions-${ticker}.json.gz`);
    byCik.set(cik, { submissions, facts });
    const recent = (submissions.filings as { recent: Record<string, string[]> }).recent;
    recent.form?.forEach((form, i) => {
      const accession = String(recent.accessionNumber?.[i]);
      const rows = form4Rows[ticker]?.[accession];
      if ((form !== '4' && form !== '4/A') || !rows) return;
      const issuer = { cik, name: String(submissions.name), ticker };
      form4.set(accession.replace(/-/g, ''), {
        document: String(recent.primaryDocument?.[i]).replace(/^xslF345X\d+\//, ''),
        xml: form4Xml(issuer, accession.slice(0, 10), rows, form),
      });
    });
  }
  for (const d of DERIVED_COMPANIES.slice(0, options.derived ?? 0)) {
    const source = byCik.get(String(map.data.find((r) => r[2] === d.from)?.[0]).padStart(10, '0'));
    if (!source?.facts) throw new Error(`no recorded SEC JSON for ${d.from}`);
    const cik = String(d.cik).padStart(10, '0');
    const submissions = structuredClone(source.submissions);
    Object.assign(submissions, { cik, name: d.name, tickers: [d.ticker], exchanges: ['Nasdaq'], formerNames: [] });
    const facts = { ...(JSON.parse(source.facts) as Record<string, unknown>), cik: d.cik, entityName: d.name };
    byCik.set(cik, { submissions, facts: JSON.stringify(facts) });
    map.data.push([d.cik, d.name, d.ticker, 'Nasdaq']);
  }
  let throttled = 0;
  const base = await startHttpStandIn({
    ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
    gate: (req, log) => {
      if (!/\S+@\S+\.\S+/.test(String(req.headers['user-agent'] ?? ''))) {
        return { status: 403, body: 'Undeclared Automated Tool', type: 'text/html' };
      }
      const now = Date.now();
      const lastSecond = log.filter((r) => now - r.at < 1000 && r.status !== 429 && r.status !== 403).length;
      if (lastSecond > limit) {
        throttled += 1;
        return {
          status: 429,
          body: 'Request Rate Threshold Exceeded',
          type: 'text/html',
          headers: { 'retry-after': '1' },
        };
      }
      return undefined;
    },
    route: (p) => {
      const url = new URL(p, 'http://x');
      if (url.pathname === '/files/company_tickers_exchange.json') {
        return { body: JSON.stringify(map), type: 'application/json' };
      }
      const sub = /^\/submissions\/CIK(\d{10})\.json$/.exec(url.pathname);
      if (sub?.[1]) {
        const c = byCik.get(sub[1]);
        return c ? { body: JSON.stringify(c.submissions), type: 'application/json' } : undefined;
      }
      const doc = FORM4_PATH.exec(url.pathname);
      if (doc?.[2]) {
        const f = form4.get(doc[2]);
        return f?.xml !== undefined && (f.document === '' || decodeURIComponent(doc[3] ?? '') === f.document)
          ? { body: f.xml, type: 'text/xml' }
          : undefined;
      }
      const facts = /^\/api\/xbrl\/companyfacts\/CIK(\d{10})\.json$/.exec(url.pathname);
      if (facts?.[1]) {
        const c = byCik.get(facts[1]);
        return c?.facts ? { body: c.facts, type: 'application/json' } : undefined;
      }
      return undefined;
    },
  });
  return {
    ...base,
    throttled: () => throttled,
    form4Requests: () => base.requests.filter((r) => FORM4_PATH.test(r.path)).map((r) => r.path),
    setForm4(accession, xml) {
      const key = accession.replace(/-/g, '');
      const f = form4.get(key);
      if (f) f.xml = xml;
      else if (xml !== undefined) form4.set(key, { document: '', xml });
    },
    addFiling(ticker, filing) {
      const row = map.data.find((r) => r[2] === ticker);
      const c = row ? byCik.get(String(row[0]).padStart(10, '0')) : undefined;
      if (!c) throw new Error(`no SEC fixture for ${ticker}`);
      const recent = (c.submissions.filings as { recent: Record<string, unknown[]> }).recent;
      for (const [key, values] of Object.entries(recent)) {
        const value =
          key === 'form'
            ? filing.form
            : key === 'filingDate'
              ? filing.filingDate
              : key === 'accessionNumber'
                ? filing.accessionNumber
                : key === 'items'
                  ? (filing.items ?? '')
                  : key === 'reportDate'
                    ? (filing.reportDate ?? '')
                    : typeof values[0] === 'number'
                      ? 0
                      : '';
        values.unshift(value);
      }
      if (filing.facts?.length && c.facts) {
        const doc = JSON.parse(c.facts) as {
          facts: { 'us-gaap': Record<string, { units: Record<string, unknown[]> }> };
        };
        for (const { tag, unit = 'USD', ...fact } of filing.facts) {
          const concept = doc.facts['us-gaap'][tag] ?? { units: {} };
          doc.facts['us-gaap'][tag] = concept;
          const facts = concept.units[unit] ?? [];
          concept.units[unit] = facts;
          facts.push({
            ...fact,
            accn: filing.accessionNumber,
            form: filing.form,
            filed: filing.filingDate,
          });
        }
        c.facts = JSON.stringify(doc);
      }
    },
  };
}
