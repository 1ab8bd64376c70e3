/**
 * Environments for tests of live data: a bundled data set without some tickers (so that they can only come from the
 * live stand-ins), and the variables that point every live provider at the 127.0.0.1 stand-ins.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config.js';

/** A temp copy of `data/` whose index lacks `without` (the per-ticker files are links to the real ones). */
export function bundleWithout(without: readonly string[]): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-bundle-'));
  const src = path.join(REPO_ROOT, 'data');
  const index = JSON.parse(readFileSync(path.join(src, 'index.json'), 'utf8')) as { tickers: Record<string, unknown> };
  for (const t of without) delete index.tickers[t];
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index));
  symlinkSync(path.join(src, 'tickers'), path.join(dir, 'tickers'));
  symlinkSync(path.join(src, 'profiles.json.gz'), path.join(dir, 'profiles.json.gz'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Variables that send SEC and price requests to the stand-ins (`DATA_SOURCE=auto` unless overridden). */
export function liveEnv(sec: { url: string }, prices: { url: string }, extra: Record<string, string> = {}) {
  return {
    DATA_SOURCE: 'auto',
    SEC_USER_AGENT: 'tickerdesk tests tests@example.com',
    SEC_DATA_URL: sec.url,
    SEC_WWW_URL: sec.url,
    YAHOO_CHART_URL: prices.url,
    STOOQ_URL: prices.url,
    UPSTREAM_TIMEOUT_MS: '2000',
    // Three Form 4s per company: a run's insiders come from SEC in a fraction of a second, and a burst of runs adds
    // few requests to SEC's 10 per second (60 take 6.7 s at 9 per second); the bound of 60 is tested on the provider.
    SEC_FORM4_MAX_FILINGS: '3',
    ...extra,
  };
}

/** A 127.0.0.1 URL nothing listens on (a port that was just free): connections to it are refused at once. */
export async function refusedUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
