/**
 * Every sentence with a change word agrees with the sign of the figure it describes, across the reports of every
 * bundled ticker (real pipeline, template writer): "widened"/"narrowed", "held steady", "grew"/"shrank",
 * "improving"/"less so than a year earlier", "up"/"down" on the quarter, "rose"/"fell", "above"/"below" an average,
 * a positive or negative MACD histogram, net cash or net debt.
 */
import { describe, expect, it } from 'vitest';
import { createBundledProvider } from '../../src/mcp-server/providers/bundled.js';
import type { Figure, RunResult } from '../../src/research/types.js';
import { bundledResearch } from '../report/bundled-run.js';

const DATA_DIR = new URL('../../data', import.meta.url).pathname;

/** One rule: a pattern over a section's text, and what the sign of its figure must be. */
type Check = (text: string, fig: (name: string, period?: string) => Figure | undefined) => string[];

const num = (s: string | undefined) => Number((s ?? '').replace(/[,$%]/g, ''));
const pct = String.raw`(-?[\d.]+)%`;

const CHECKS: Record<string, Check> = {
  'widened/narrowed': (text) =>
    [...text.matchAll(new RegExp(String.raw`(widened|narrowed) from ${pct} in (FY\d{4}) to ${pct} in (FY\d{4})`, 'g'))]
      .filter((m) => (m[1] === 'widened') !== num(m[4]) > num(m[2]))
      .map((m) => m[0]),
  'held steady': (text) =>
    [...text.matchAll(new RegExp(String.raw`held steady at ${pct} in FY\d{4} \(${pct} in`, 'g'))]
      .filter((m) => Math.abs(num(m[1]) - num(m[2])) > 0.5)
      .map((m) => m[0]),
  'grew/shrank': (text, fig) =>
    [
      ...[...text.matchAll(/Revenue (grew|shrank) [\d.]+% to \$[\d.]+[BMT]? in (FY\d{4})/g)].map((m) => [
        m,
        m[1],
        m[2],
      ]),
      ...[...text.matchAll(/In (FY\d{4}) revenue (grew|shrank)/g)].map((m) => [m, m[2], m[1]]),
      ...[...text.matchAll(/revenue (up|down) [\d.]+% in (FY\d{4})/g)].map((m) => [m, m[1], m[2]]),
    ]
      .filter(([, word, period]) => {
        const g = fig('revenue_growth_yoy', period as string);
        return !g || ['grew', 'up'].includes(word as string) !== g.value >= 0;
      })
      .map(([m]) => (m as RegExpMatchArray)[0]),
  'improving/less so': (text, fig) => {
    const om = fig('operating_margin');
    const year = Number(om?.period?.slice(2));
    const prior = fig('operating_margin', `FY${year - 1}`);
    const bad: string[] = [];
    if (/, and improving\./.test(text) && !(om && prior && om.value - prior.value > 1)) bad.push('and improving');
    if (/less so than a year earlier/.test(text) && !(om && prior && om.value - prior.value < -1))
      bad.push('less so than a year earlier');
    return bad;
  },
  'quarter up/down': (text, fig) =>
    [...text.matchAll(/, (up|down) [\d.]+% on the same quarter a year earlier/g)]
      .filter((m) => {
        const g = fig('revenue_quarter_growth_yoy');
        return !g || (m[1] === 'up') !== g.value >= 0;
      })
      .map((m) => m[0]),
  'target rose/fell': (text, fig) =>
    [...text.matchAll(/The mean target (rose|fell)/g)]
      .filter((m) => {
        const c = fig('target_mean_change');
        return !c || (m[1] === 'rose') !== c.value >= 0;
      })
      .map((m) => m[0]),
  'above/below average': (text, fig) =>
    [...text.matchAll(/([\d.]+)% (above|below) its (20|50|200)-day average/g)]
      .filter((m) => {
        const v = fig(`price_vs_sma${m[3]}`);
        return !v || (m[2] === 'above') !== v.value >= 0 || Math.abs(Math.abs(v.value) - num(m[1])) > 0.0501;
      })
      .map((m) => m[0]),
  'MACD sign': (text, fig) =>
    [...text.matchAll(/MACD histogram is (positive|negative)/g)]
      .filter((m) => {
        const h = fig('macd_histogram');
        return !h || (m[1] === 'positive') !== h.value >= 0;
      })
      .map((m) => m[0]),
  'net cash/debt': (text, fig) =>
    [...text.matchAll(/: (net cash|net debt) of/g)]
      .filter((m) => {
        const n = fig('net_cash');
        return !n || (m[1] === 'net cash') !== n.value >= 0;
      })
      .map((m) => m[0]),
};

describe('change words agree with the sign of their figures in every bundled report', () => {
  it('checks every sentence of every section of every ticker with data', async () => {
    const index = createBundledProvider(DATA_DIR).load();
    const tickers = Object.entries(index.tickers)
      .filter(([, e]) => e.has.some((k) => k !== 'profile'))
      .map(([t]) => t);
    const { research, close } = await bundledResearch();
    const wrong: string[] = [];
    const counted: Record<string, number> = {};
    try {
      for (const ticker of tickers) {
        const result: RunResult = await research.start(ticker).result;
        const figures = result.findings.flatMap((f) => f.figures);
        const fig = (name: string, period?: string) =>
          figures.find((f) => f.name === name && (period === undefined || f.period === period));
        // The summary states the same risk level, price and verdict as the sections.
        const text = (id: string) => result.sections.find((s) => s.id === id)?.markdown ?? '';
        const overall = /Overall the (?:measured )?risks are (elevated|moderate|low)/.exec(text('risks'))?.[1];
        const said = /Measured risks are (elevated|moderate|low)/.exec(text('summary'))?.[1];
        if (overall && said !== overall) wrong.push(`${ticker} summary risk "${said}" vs Risks "${overall}"`);
        const price = fig('price');
        const close = /(?:The stock|[A-Z.]+) closed at \$([\d,.]+) on (\d{4}-\d{2}-\d{2})/.exec(text('summary'));
        if (price && close && (Math.abs(num(close[1]) - price.value) > 0.005 || close[2] !== price.period))
          wrong.push(`${ticker} summary price ${close[0]} vs price ${price.value} on ${price.period}`);
        const rating = /\*\*(Buy|Hold|Sell)\*\*/.exec(text('verdict'))?.[1];
        if (rating && !text('summary').includes(`: ${rating}**`)) wrong.push(`${ticker} summary verdict ≠ ${rating}`);
        for (const s of result.sections) {
          for (const [rule, check] of Object.entries(CHECKS)) {
            for (const bad of check(s.markdown, fig)) wrong.push(`${ticker} ${s.id} [${rule}]: ${bad}`);
            counted[rule] = (counted[rule] ?? 0) + (s.markdown.match(RULE_WORDS[rule] as RegExp)?.length ?? 0);
          }
        }
      }
    } finally {
      await close();
    }
    expect(wrong).toEqual([]);
    // The rules met real sentences (not a check of nothing): each kind appears in the bundled reports.
    for (const rule of Object.keys(CHECKS)) expect(counted[rule], rule).toBeGreaterThan(0);
  }, 120_000);
});

/** How often each rule's change word occurs (to show the check saw real sentences). */
const RULE_WORDS: Record<string, RegExp> = {
  'widened/narrowed': /(widened|narrowed) from/g,
  'held steady': /held steady at/g,
  'grew/shrank': /(grew|shrank) [\d.]+%|revenue (up|down) [\d.]+%/g,
  'improving/less so': /and improving|less so than a year earlier/g,
  'quarter up/down': /on the same quarter a year earlier/g,
  'target rose/fell': /The mean target (rose|fell)/g,
  'above/below average': /(above|below) its (20|50|200)-day average/g,
  'MACD sign': /MACD histogram is (positive|negative)/g,
  'net cash/debt': /: net (cash|debt) of/g,
};

describe('events wording follows the reach of the events data', () => {
  it('says "none since DATE, where the filings data ends" when the 8-K feed stops before the last 90 days', async () => {
    const { research, close } = await bundledResearch();
    try {
      const result = await research.start('NVDA').result;
      const news = result.sections.find((s) => s.id === 'news')?.markdown ?? '';
      expect(news).toContain('none since 2026-03-04, where the filings data ends');
      expect(news).not.toMatch(/within the last 90 days/);
    } finally {
      await close();
    }
  });
});
