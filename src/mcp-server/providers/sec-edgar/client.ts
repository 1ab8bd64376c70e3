/**
 * SEC EDGAR over HTTP (keyless; US-government data, public domain): the ticker map from `SEC_WWW_URL`, submissions
 * and companyfacts from `SEC_DATA_URL`, through the shared upstream client (SEC's fair-access rules: a declared
 * `User-Agent`, at most 10 requests per second, gzip). Answers are kept in-process: the ticker map a day,
 * submissions ten minutes, companyfacts until the submissions list a newer 10-K or 10-Q, each Form 4 (a filing never
 * changes) a week; a document that answered 404 (or a Form 4 that is not Form 4 XML) is known as missing for an
 * hour ({@link SEC_MISSING_KEEP_MS}; submissions ten minutes). Form 4 documents are fetched at background priority:
 * queued behind every user request to SEC.
 */
import { DataUnavailableError } from '../../../errors.js';
import type { UpstreamClient } from '../../upstream/client.js';
import { UpstreamFormatError, UpstreamHttpError } from '../../upstream/errors.js';
import { PromiseMemo } from '../../upstream/memo.js';
import { type Form4Document, type Form4Filing, form4XmlUrl } from './form4.js';
import { parseTickerMap, type SecListing } from './ticker-map.js';

const MINUTE = 60_000;

/**
 * How long a document SEC answered 404 for stays known as missing, ms: an hour (submissions: ten minutes, as long as
 * they are kept). A Form 4 that was not Form 4 XML counts too. Asking again within that time (the gateway recomputing
 * an answer whose cached copy it could not read) would only repeat the request: a filed document does not change,
 * and companyfacts are kept per newest 10-K/10-Q; after it, a document SEC was still processing may have appeared.
 */
export const SEC_MISSING_KEEP_MS = 60 * MINUTE;

/** A 404 from SEC, as `#json` throws it. */
const notFound = (err: unknown) => err instanceof DataUnavailableError;

/** A Form 4 failure that asking again soon would not change: not found, gone, or a body that is not a Form 4. */
function definitiveForm4Failure(err: unknown): boolean {
  return (
    (err instanceof UpstreamHttpError && (err.status === 404 || err.status === 410)) ||
    err instanceof UpstreamFormatError
  );
}

/** What SEC's 403 means, said with it: a User-Agent without a contact e-mail, or a client over SEC's rate. */
export const SEC_403_HINT =
  'SEC refuses requests whose User-Agent (SEC_USER_AGENT) names no contact e-mail, and clients over 10 requests a second';

/** `err` with {@link SEC_403_HINT} when it is a 403 after the retries; any other error as it is. */
function withSecHint(err: unknown): unknown {
  return err instanceof UpstreamHttpError && err.status === 403
    ? new UpstreamHttpError(err.host, err.status, { cause: err, hint: SEC_403_HINT })
    : err;
}

/** Where SEC lives (`SEC_DATA_URL`, `SEC_WWW_URL`, no trailing slash). */
export interface SecUrls {
  dataUrl: string;
  wwwUrl: string;
}

/** See the module comment. */
export class SecClient {
  readonly #upstream: UpstreamClient;
  readonly urls: SecUrls;
  readonly #tickerMap = new PromiseMemo<Map<string, SecListing>>(24 * 60 * MINUTE, { max: 1 });
  readonly #submissions = new PromiseMemo<unknown>(10 * MINUTE, {
    keepFailureMs: (err) => (notFound(err) ? 10 * MINUTE : undefined),
  });
  readonly #facts = new PromiseMemo<unknown>(24 * 60 * MINUTE, {
    max: 50,
    keepFailureMs: (err) => (notFound(err) ? SEC_MISSING_KEEP_MS : undefined),
  });
  readonly #form4 = new PromiseMemo<Form4Document>(7 * 24 * 60 * MINUTE, {
    max: 5000,
    keepFailureMs: (err) => (definitiveForm4Failure(err) ? SEC_MISSING_KEEP_MS : undefined),
  });

  constructor(upstream: UpstreamClient, urls: SecUrls) {
    this.#upstream = upstream;
    this.urls = urls;
  }

  /** SEC's ticker map, by normalised ticker (kept a day). */
  tickerMap(): Promise<Map<string, SecListing>> {
    return this.#tickerMap.get('map', async () => {
      const url = `${this.urls.wwwUrl}/files/company_tickers_exchange.json`;
      return parseTickerMap(await this.#json(url, 'the ticker map'));
    });
  }

  /**
   * The submissions document of `cik` (10 digits), kept ten minutes; with `fresh`, asked of SEC now (a request in
   * flight is shared) and kept anew. @throws DataUnavailableError on 404.
   */
  submissions(cik: string, options: { fresh?: boolean } = {}): Promise<unknown> {
    const load = () => this.#json(`${this.urls.dataUrl}/submissions/CIK${cik}.json`, 'submissions', cik);
    return options.fresh ? this.#submissions.fresh(cik, load) : this.#submissions.get(cik, load);
  }

  /**
   * The companyfacts document of `cik`, kept until `latestReport` (the accession of the newest 10-K or 10-Q) changes.
   * @throws DataUnavailableError on 404 (SEC has no XBRL facts for the company).
   */
  companyFacts(cik: string, latestReport: string): Promise<unknown> {
    return this.#facts.get(`${cik}:${latestReport}`, () =>
      this.#json(`${this.urls.dataUrl}/api/xbrl/companyfacts/CIK${cik}.json`, 'XBRL company facts', cik),
    );
  }

  /**
   * One Form 4's ownership XML, read (`${SEC_WWW_URL}/Archives/edgar/data/<cik>/<accession>/<document>`), at
   * background priority; kept a week once read, an hour when it answered 404/410 or is not Form 4 XML.
   * @throws UpstreamHttpError (404…), UpstreamFormatError (not well-formed XML, not a Form 4), the client's other errors.
   */
  form4(cik: string, filing: Form4Filing): Promise<Form4Document> {
    return this.#form4.get(filing.accession, async () => {
      const url = form4XmlUrl(this.urls.wwwUrl, cik, filing);
      const res = await this.#upstream
        .get(url, { headers: { accept: 'application/xml, text/xml' }, priority: 'background' })
        .catch((err: unknown) => Promise.reject(withSecHint(err)));
      // The XML reader (fast-xml-parser) loads with the first Form 4, not at the data server's start.
      const { parseForm4 } = await import('./form4-xml.js');
      try {
        return parseForm4(res.text());
      } catch (cause) {
        const what = cause instanceof Error ? cause.message : String(cause);
        throw new UpstreamFormatError(new URL(url).host, `a Form 4 document that is ${what}`, { cause });
      }
    });
  }

  /**
   * A SEC JSON document, parsed (a truncated gzip body is retried, then named as broken off: `getJson`).
   * @throws DataUnavailableError on 404; the upstream client's errors otherwise (a 403 with {@link SEC_403_HINT}).
   */
  async #json(url: string, what: string, cik?: string): Promise<unknown> {
    try {
      return await this.#upstream.getJson(url, `JSON for ${what}`);
    } catch (err) {
      if (err instanceof UpstreamHttpError && err.status === 404) {
        throw new DataUnavailableError(`SEC EDGAR has no ${what}${cik ? ` for CIK ${cik}` : ''}.`, { cause: err });
      }
      throw withSecHint(err);
    }
  }
}
