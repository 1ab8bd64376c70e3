import { describe, expect, it } from 'vitest';
import type { TextSink } from '../../src/cli/io.js';
import { attachProgress, progressLine, showStarting } from '../../src/cli/progress.js';
import { attachReportPrinter } from '../../src/cli/report-printer.js';
import { cacheLine, formatFooter, resultJson } from '../../src/cli/summary.js';
import { SECTIONS } from '../../src/research/types.js';
import { FakeRun, fakeResult } from '../metrics/fake-run.js';

class Sink implements TextSink {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns = 120,
  ) {}
  write(s: string) {
    this.text += s;
    return true;
  }
}

const started = (run: FakeRun) => ({
  runId: run.runId,
  ticker: run.ticker,
  startedAt: new Date().toISOString(),
  toolsTotal: 2,
  eta: {
    totalMs: 4000,
    perStageMs: { prefetch: 2000, analysts: 1000, sections: 1000 },
    basedOn: 3,
    kind: 'cold' as const,
  },
});

describe('attachReportPrinter', () => {
  it('prints sections in report order, streaming deltas, holding early text of later sections', () => {
    const run = new FakeRun();
    const out = new Sink();
    attachReportPrinter(run, out);
    run.emit('companyIdentified', { ticker: 'NVDA', name: 'NVIDIA Corp' });
    const [s0, s1, s2] = SECTIONS;
    if (!s0 || !s1 || !s2) throw new Error('sections missing');
    run.emit('sectionStarted', { section: s0.id, index: 0, title: s0.title });
    run.emit('sectionDelta', { section: s0.id, index: 0, text: 'Revenue grew ' });
    expect(out.text).toBe('# NVIDIA Corp (NVDA): research report\n\n## Executive summary\n\nRevenue grew ');
    // Section 2 streams before section 1 is done: held back.
    run.emit('sectionStarted', { section: s1.id, index: 1, title: s1.title });
    run.emit('sectionDelta', { section: s1.id, index: 1, text: 'Margins widened.' });
    expect(out.text).not.toContain('Margins');
    run.emit('sectionDelta', { section: s0.id, index: 0, text: '126 %.' });
    run.emit('sectionReady', { section: { id: s0.id, title: s0.title, index: 0, markdown: 'Revenue grew 126 %.' } });
    expect(out.text).toMatch(/126 %\.\n\n## Fundamentals\n\nMargins widened\.$/);
    // A section with no deltas prints its Markdown when ready; one that is ready early waits its turn.
    run.emit('sectionReady', {
      section: { id: s2.id, title: s2.title, index: 2, markdown: 'RSI 61.', degraded: 'no prices' },
    });
    expect(out.text).not.toContain('RSI 61.');
    run.emit('sectionReady', { section: { id: s1.id, title: s1.title, index: 1, markdown: 'Margins widened.' } });
    expect(out.text.endsWith('Margins widened.\n\n## Technicals\n\nRSI 61.\n\n_Note: no prices_\n\n')).toBe(true);
    expect(out.text.match(/^## /gm)).toHaveLength(3);
  });
});

describe('showStarting', () => {
  it('writes a line of its own when not on a terminal', () => {
    const err = new Sink(false);
    const clear = showStarting(err, 'NVDA');
    clear();
    expect(err.text).toBe('NVDA: starting…\n');
  });

  it('leaves the line open on a terminal and erases it once', () => {
    const err = new Sink(true);
    const clear = showStarting(err, 'BRK.B');
    expect(err.text).toBe('BRK.B: starting…');
    clear();
    clear();
    expect(err.text).toBe('BRK.B: starting…\r\x1b[2K');
  });
});

describe('attachProgress', () => {
  it('prints one plain line per event when not on a terminal', () => {
    const run = new FakeRun();
    const err = new Sink(false);
    const progress = attachProgress(run, err);
    run.emit('runStarted', started(run));
    run.emit('stageStarted', { stage: 'prefetch', at: new Date().toISOString() });
    run.emit('toolCallFinished', {
      request: { server: 'tickerdesk', tool: 'get_company_profile', args: { ticker: 'NVDA' } },
      part: 'profile',
      done: 1,
      total: 2,
      cache: 'hit',
      ms: 3,
    });
    run.finish(fakeResult(run));
    progress.stop();
    const lines = err.text.trim().split('\n');
    expect(lines[0]).toMatch(/NVDA: run .* started, 2 tool calls, ETA 4\.0 s \(cold, from 3 past runs\)/);
    expect(lines[1]).toContain('prefetch started');
    expect(lines[2]).toContain('tool 1/2 get_company_profile: hit, 3 ms');
    expect(lines.at(-1)).toContain('finished (ok)');
    expect(err.text).not.toContain('\x1b');
  });

  it('keeps a failed tool to one short line, however long its reason', () => {
    const run = new FakeRun();
    const err = new Sink(false);
    const progress = attachProgress(run, err);
    run.emit('runStarted', started(run));
    const reason = `Could not start the MCP server tickerdesk.\nIts last output: ${'{"level":60} '.repeat(80)}`;
    run.emit('toolCallFinished', {
      request: { server: 'tickerdesk', tool: 'get_company_news', args: { ticker: 'NVDA' } },
      part: 'news',
      done: 1,
      total: 2,
      cache: 'error',
      ms: 1900,
      error: reason,
    });
    progress.stop();
    const line = err.text.split('\n').find((l) => l.includes('tool 1/2'));
    expect(line).toMatch(
      /tool 1\/2 get_company_news: failed \(Could not start the MCP server tickerdesk\. Its last output: .*…\), 1\.9 s$/,
    );
    expect(line?.length).toBeLessThan(240);
  });

  it('redraws one line with a bar, stage, tools and ETA on a terminal, and erases it at the end', () => {
    const run = new FakeRun();
    const err = new Sink(true);
    const progress = attachProgress(run, err);
    run.emit('runStarted', started(run));
    run.emit('stageStarted', { stage: 'prefetch', at: new Date().toISOString() });
    expect(err.text).toContain('\r\x1b[2K');
    expect(err.text).not.toContain('\n');
    expect(err.text).toMatch(
      /NVDA {2}\[-+\] {3}0% {2}prefetch {2}tools 0\/2 {2}sections 0\/6 {2}\d+ ms {2}ETA \d\.\d s$/,
    );
    progress.stop();
    expect(err.text.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('does not draw over an unfinished report line on the same terminal', () => {
    const run = new FakeRun();
    const out = new Sink(true);
    const err = new Sink(true);
    let progress: ReturnType<typeof attachProgress> | undefined;
    const printer = attachReportPrinter(run, out, {
      progress: { clear: () => progress?.clear(), redraw: () => progress?.redraw() },
    });
    progress = attachProgress(run, err, { canDraw: () => !printer.midLine() });
    run.emit('runStarted', started(run));
    const [s0] = SECTIONS;
    if (!s0) throw new Error('sections missing');
    run.emit('sectionStarted', { section: s0.id, index: 0, title: s0.title });
    run.emit('sectionDelta', { section: s0.id, index: 0, text: 'half a line' });
    expect(printer.midLine()).toBe(true);
    const before = err.text;
    progress.redraw();
    expect(err.text).toBe(before);
    run.emit('sectionReady', { section: { id: s0.id, title: s0.title, index: 0, markdown: 'half a line' } });
    expect(printer.midLine()).toBe(false);
    expect(printer.printed()).toBe(1);
    expect(err.text.length).toBeGreaterThan(before.length);
    progress.stop();
  });

  it('weights the bar by the ETA split and never claims 100 % before the end', () => {
    const state = {
      ticker: 'NVDA',
      company: 'NVIDIA Corp',
      stage: 'analysts' as const,
      stagesDone: new Set(['prefetch' as const]),
      toolsDone: 8,
      toolsTotal: 8,
      analystsDone: 2,
      sectionsDone: 0,
      eta: started(new FakeRun()).eta,
      done: false,
    };
    const line = progressLine(state, 5000, 200);
    expect(line).toContain('[#############-------]  63%'); // 2000/4000 + 0.5 × 1000/4000
    expect(line).toContain('ETA any moment');
    expect(progressLine({ ...state, eta: null }, 10, 40)).toHaveLength(40);
  });
});

describe('footer and JSON', () => {
  it('says when a run was served from cache', () => {
    expect(cacheLine({ total: 8, hits: 8, misses: 0, coalesced: 0, errors: 0 })).toBe(
      '8 tools: 8 cached, 0 called. Served from cache.',
    );
    expect(cacheLine({ total: 8, hits: 7, misses: 0, coalesced: 0, errors: 0, unavailable: 1 })).toContain(
      'Served from cache (except 1 call never cached',
    );
    expect(cacheLine({ total: 8, hits: 2, misses: 5, coalesced: 1, errors: 0 })).toBe(
      '8 tools: 2 cached, 5 called, 1 shared with a call in flight.',
    );
  });

  it('prints the verdict, timings and problems, and JSON without the bundle data', () => {
    const run = new FakeRun();
    const result = fakeResult(run, { outcome: 'degraded', problems: ['The news could not be fetched: timeout'] });
    const footer = formatFooter(result);
    expect(footer).toContain('Verdict: Hold — mixed signals (confidence 0.50)');
    expect(footer).toContain('Finished in 1.2 s (degraded); first section after 800 ms.');
    expect(footer).toContain('3 tools: 1 cached, 2 called.');
    expect(footer).toContain('- The news could not be fetched: timeout');
    expect(footer).not.toContain('Model use'); // the template writer uses no model
    const claude = formatFooter({
      ...result,
      usage: {
        inputTokens: 2094,
        outputTokens: 576,
        cacheWriteTokens: 8817,
        cacheReadTokens: 88170,
        costUsd: 0.0744,
        unverifiedFigures: 1,
      },
    });
    expect(claude).toContain(
      'Model use: 2094 input, 576 output, 8817 cache-write and 88170 cache-read tokens; $0.0744; 1 unverified figure(s) marked.',
    );
    const json = JSON.parse(resultJson(result));
    expect(json.runId).toBe(run.runId);
    expect(json.sections).toHaveLength(6);
    expect(json.bundle.profile).toEqual({ status: 'unavailable', source: 'test', reason: 'not in this test' });
  });

  it('--json keeps the stale marker of a part served past its validity while it is refreshed', () => {
    const result = fakeResult(new FakeRun());
    const stale = { fetchedAt: '2026-12-04T14:02:00.000Z', validUntil: '2026-12-04T21:20:00.000Z', refreshing: true };
    const prices = { status: 'ok', data: {}, source: 'tickerdesk/get_price_history', fetchedAt: stale.fetchedAt };
    const bundle = { ...result.bundle, prices: { ...prices, cache: 'hit', ms: 1, stale } };
    const json = JSON.parse(resultJson({ ...result, bundle } as typeof result));
    const { data: _data, ...summary } = prices;
    expect(json.bundle.prices).toEqual({ ...summary, cache: 'hit', ms: 1, stale });
  });
});
