/**
 * The template writer's words about where the data came from, on a report with live parts. Regressions found by
 * trying live data as a new user (SEC, Yahoo and Finnhub stand-ins): the verdict ended "a rule-based reading of the
 * bundled data" under SEC EDGAR (live) and Yahoo Finance (live) lines; the 8-K paragraph measured the latest
 * results filing "before the newest data in the bundle"; and the summary said "The stock closed at $214.72 on
 * 2026-08-21 … The mean target of 56 analysts implies +38.9% from there" when the +38.9% was measured from Finnhub's
 * quote of $180.00 (2026-12-04), not from that close.
 */
import { describe, expect, it } from 'vitest';
import type { AnalystRatings, Provenance } from '../../src/mcp-server/shapes.js';
import type { DataBundle } from '../../src/research/types.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';
import { nvdaAnalyst, nvdaBundle, ok } from '../helpers/bundle-fixtures.js';
import { writeReport } from '../helpers/writer-contract.js';

const live = (provider: string, asOf: string): Provenance => ({ provider, live: true, asOf, tried: [] });

function withProvenance<T extends object>(data: T, provenance: Provenance): T {
  return { ...data, provenance };
}

/** NVDA with its prices from Yahoo (live) and consensus from Finnhub (live) at a newer quote than the last close. */
function liveBundle(): DataBundle {
  const b = nvdaBundle();
  if (b.prices.status === 'ok') b.prices = ok(withProvenance(b.prices.data, live('yahoo', '2026-08-21')));
  const finnhub: AnalystRatings = {
    ...nvdaAnalyst(),
    asOf: '2026-12-04',
    analystCount: 56,
    rating: 'buy',
    price: 180,
    targetMean: 250,
    targetHigh: 300,
    targetLow: 150,
    upsidePct: 38.89,
    history: [],
  };
  b.analyst = ok(withProvenance(finnhub, live('finnhub', '2026-12-04')));
  return b;
}

describe('template writer on live data', () => {
  it('names the quote an implied upside is measured from when it is not the close just stated', async () => {
    const { sections } = await writeReport(createTemplateWriter(), liveBundle());
    const summary = sections.summary.join('');
    expect(summary).toContain('The stock closed at $214.72 on 2026-08-21');
    expect(summary).toContain('The mean target of 56 analysts implies +38.9% from $180.00 (2026-12-04).');
    expect(summary).not.toContain('from there');
    // The bundled consensus is at the close itself: "from there" stays.
    const bundled = (await writeReport(createTemplateWriter(), nvdaBundle())).sections.summary.join('');
    expect(bundled).toContain('The mean target of 58 analysts implies +41.6% from there.');
  });

  it('calls the data bundled only when all of it is', async () => {
    const liveVerdict = (await writeReport(createTemplateWriter(), liveBundle())).sections.verdict.join('');
    expect(liveVerdict).toContain(
      'This is a rule-based reading of the data named at the top of the report, not investment advice.',
    );
    expect(liveVerdict).not.toContain('bundled data');
    const bundled = await writeReport(createTemplateWriter(), nvdaBundle());
    expect(bundled.sections.verdict.join('')).toContain(
      'This is a rule-based reading of the bundled data, not investment advice.',
    );
    expect(bundled.sections.news.join('')).toMatch(
      /The latest results filing is dated 2026-05-28, 85 days before the newest data in this report\./,
    );
    expect(bundled.sections.news.join('')).not.toContain('in the bundle');
  });
});
