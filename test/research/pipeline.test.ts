import { describe, expect, it } from 'vitest';
import {
  DataUnavailableError,
  InvalidInputError,
  RunCancelledError,
  ToolFailedError,
  UnknownTickerError,
} from '../../src/errors.js';
import type { EtaSource } from '../../src/research/eta.js';
import { createResearchService, type ResearchServiceDeps } from '../../src/research/index.js';
import { type Eta, RUN_EVENTS, type RunEvents, type RunHandle, SECTIONS } from '../../src/research/types.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';
import { FakeGateway, type FakeGatewayOptions } from '../helpers/fake-gateway.js';
import { FakeWriter, type FakeWriterOptions } from '../helpers/fake-writer.js';

type Recorded = { [K in keyof RunEvents]: { name: K; payload: RunEvents[K] } }[keyof RunEvents];

function record(handle: RunHandle): Recorded[] {
  const events: Recorded[] = [];
  for (const name of RUN_EVENTS) {
    handle.on(name, (payload) => events.push({ name, payload } as Recorded));
  }
  return events;
}

function setup(
  gatewayOptions: FakeGatewayOptions = {},
  writerOptions: FakeWriterOptions = {},
  extra: Partial<ResearchServiceDeps> = {},
) {
  const gateway = new FakeGateway(gatewayOptions);
  const writers: FakeWriter[] = [];
  const research = createResearchService({
    gateway,
    createWriter: () => {
      const writer = new FakeWriter(writerOptions);
      writers.push(writer);
      return writer;
    },
    ...extra,
  });
  return { gateway, writers, research };
}

/** Wait (without timers) until `predicate` holds. */
async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !predicate(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(predicate()).toBe(true);
}

const ETA: Eta = {
  totalMs: 1200,
  perStageMs: { prefetch: 400, analysts: 100, sections: 700 },
  basedOn: 5,
  kind: 'cold',
};

describe('research pipeline', () => {
  it('runs prefetch → analysts → sections and emits events in order, starting with runStarted', async () => {
    const etaAsked: string[] = [];
    const etaRequests: unknown[] = [];
    const eta: EtaSource = {
      estimate: (ticker, request) => {
        etaAsked.push(ticker);
        etaRequests.push(request);
        return ETA;
      },
    };
    // A clock that moves one ms per reading, so the times below relate by construction, not by luck.
    let clock = 1_000_000;
    const { gateway, writers, research } = setup({}, {}, { eta, now: () => clock++ });
    const run = research.start(' $nvda ', { requester: { via: 'test', user: 'U1' }, fresh: true });
    // Nothing happens before the caller can subscribe.
    expect(gateway.calls).toHaveLength(0);
    const events = record(run);
    const result = await run.result;

    expect(run.ticker).toBe('NVDA');
    expect(etaAsked).toEqual(['NVDA']);
    // A --fresh run reads no cache: the ETA source is told, so it estimates from cold runs.
    expect(etaRequests).toEqual([{ fresh: true }]);
    expect(events[0]).toEqual({
      name: 'runStarted',
      payload: {
        runId: run.runId,
        ticker: 'NVDA',
        startedAt: result.startedAt,
        toolsTotal: 8,
        eta: ETA,
        requester: { via: 'test', user: 'U1' },
      },
    });
    expect(events.at(-1)).toEqual({ name: 'runFinished', payload: { result } });

    const stageEvents = events.flatMap((e) =>
      e.name === 'stageStarted' || e.name === 'stageFinished' ? [`${e.name} ${e.payload.stage}`] : [],
    );
    expect(stageEvents).toEqual([
      'stageStarted prefetch',
      'stageFinished prefetch',
      'stageStarted analysts',
      'stageFinished analysts',
      'stageStarted sections',
      'stageFinished sections',
    ]);
    const kinds = events.map((e) => e.name);
    const idx = (name: string, from = 0) => kinds.indexOf(name as keyof RunEvents, from);
    expect(kinds.lastIndexOf('toolCallFinished')).toBeLessThan(idx('stageFinished'));
    expect(idx('analystFinished')).toBeGreaterThan(idx('stageStarted', idx('stageFinished')));
    expect(kinds.lastIndexOf('analystFinished')).toBeLessThan(idx('sectionStarted'));

    const tools = events.flatMap((e) => (e.name === 'toolCallFinished' ? [e.payload] : []));
    expect(tools.map((t) => `${t.done}/${t.total}`)).toEqual(['1/8', '2/8', '3/8', '4/8', '5/8', '6/8', '7/8', '8/8']);
    expect(events.filter((e) => e.name === 'companyIdentified').map((e) => e.payload)).toEqual([
      { ticker: 'NVDA', name: 'NVDA Corp' },
    ]);
    expect(events.filter((e) => e.name === 'analystFinished')).toHaveLength(4);
    expect(gateway.callOptions.every((o) => o?.fresh === true)).toBe(true);

    expect(result).toMatchObject({
      runId: run.runId,
      ticker: 'NVDA',
      companyName: 'NVDA Corp',
      outcome: 'ok',
      problems: [],
      tools: { total: 8, hits: 0, misses: 8, coalesced: 0, errors: 0, unavailable: 0 },
      verdict: { rating: expect.stringMatching(/buy|hold|sell/) },
      requester: { via: 'test', user: 'U1' },
    });
    expect(writers).toHaveLength(1);
    expect(result.usage).toEqual(writers[0]?.usage());
    expect(result.usage.outputTokens).toBe(12);
    expect(result.sections.map((s) => s.id)).toEqual(SECTIONS.map((s) => s.id));
    expect(result.sections[1]?.markdown).toContain('Revenue was 60922000000 USD (FY2024).');
    expect(result.findings.map((f) => f.analyst)).toEqual(['fundamentals', 'technicals', 'news', 'risk']);
    expect(result.firstOutputMs).toBeLessThan(result.firstSectionMs);
    expect(result.firstSectionMs).toBeLessThan(result.durationMs);
    expect(Object.keys(result.stageMs)).toEqual(['prefetch', 'analysts', 'sections']);
    expect(result.bundle.financialsAnnual.status).toBe('ok');
  });

  it('issues all eight tool calls at once, before any answers', async () => {
    const { gateway, research } = setup({ hold: true });
    const run = research.start('NVDA');
    const events = record(run);
    await gateway.waitForCalls(8);
    expect(gateway.inFlight).toBe(8);
    expect(events.map((e) => e.name)).toEqual(['runStarted', 'stageStarted']);
    gateway.release();
    await run.result;
    expect(gateway.maxInFlight).toBe(8);
    expect(gateway.calls).toHaveLength(8);
  });

  it('emits sections in report order even when later sections finish writing first', async () => {
    const { writers, research } = setup({}, { holdSections: true });
    const run = research.start('NVDA');
    const events = record(run);
    await until(() => writers[0]?.started.length === 6);
    const writer = writers[0] as FakeWriter;
    // Every section has yielded its first chunk: only the summary's is shown yet, live.
    await until(() => events.some((e) => e.name === 'sectionDelta'));
    const shown = () => events.filter((e) => e.name.startsWith('section')).map((e) => `${e.name} ${sectionOf(e)}`);
    expect(shown()).toEqual(['sectionStarted summary', 'sectionDelta summary']);

    for (const { id } of [...SECTIONS].reverse()) {
      writer.releaseSection(id);
      await writer.sectionDone(id);
    }
    const result = await run.result;
    expect(writer.finished).toEqual(SECTIONS.map((s) => s.id).reverse());

    const order = shown();
    const expected = SECTIONS.flatMap(({ id }) => [
      `sectionStarted ${id}`,
      `sectionDelta ${id}`,
      `sectionDelta ${id}`,
      `sectionReady ${id}`,
    ]);
    expect(order).toEqual(expected);
    // The streamed text of each section is exactly its markdown.
    for (const section of result.sections) {
      const text = events
        .flatMap((e) => (e.name === 'sectionDelta' && e.payload.section === section.id ? [e.payload.text] : []))
        .join('');
      expect(text).toBe(section.markdown);
    }
    expect(result.sections.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('fails with UnknownTickerError for an unknown ticker, after runStarted', async () => {
    const { gateway, research } = setup({ tickers: ['NVDA'] });
    const run = research.start('ZZZZ');
    const events = record(run);
    await expect(run.result).rejects.toBeInstanceOf(UnknownTickerError);
    expect(events[0]?.name).toBe('runStarted');
    const last = events.at(-1);
    expect(last?.name).toBe('runFailed');
    if (last?.name === 'runFailed') {
      expect(last.payload.error).toBeInstanceOf(UnknownTickerError);
      expect(last.payload.error.message).toMatch(/Unknown ticker "ZZZZ".*Did you mean NVDA/);
      expect(last.payload).toMatchObject({ runId: run.runId, ticker: 'ZZZZ' });
    }
    expect(events.some((e) => e.name === 'analystFinished' || e.name === 'stageFinished')).toBe(false);
    // Calls still pending for the failed run are abandoned.
    expect(gateway.callOptions.every((o) => o?.signal?.aborted)).toBe(true);
  });

  it('degrades the parts of failing or unavailable tools and still finishes', async () => {
    const { research } = setup({
      failures: {
        analyze_stock: new ToolFailedError('analyze_stock', 'The indicators could not be computed.'),
        get_analyst_ratings: new DataUnavailableError('No analyst coverage for NVDA in the bundled data.'),
      },
    });
    const run = research.start('NVDA');
    const events = record(run);
    const result = await run.result;
    expect(events.at(-1)?.name).toBe('runFinished');
    expect(result.outcome).toBe('degraded');
    expect(result.bundle.technicals).toMatchObject({
      status: 'failed',
      reason: 'The indicators could not be computed.',
    });
    expect(result.bundle.analyst.status).toBe('unavailable');
    expect(result.tools).toMatchObject({ errors: 1, unavailable: 1, misses: 6 });
    expect(result.problems).toContain(
      'The technical indicators could not be fetched: The indicators could not be computed.',
    );
    const technicals = result.sections.find((s) => s.id === 'technicals');
    expect(technicals?.degraded).toMatch(/No technicals data: The indicators could not be computed/);
    expect(result.sections).toHaveLength(6);
    const failedTool = events.find((e) => e.name === 'toolCallFinished' && e.payload.part === 'technicals');
    expect(failedTool?.payload).toMatchObject({ cache: 'error', error: 'The indicators could not be computed.' });
  });

  it('says data the data set lacks in its section without making it a run problem', async () => {
    const gap = (what: string) => new DataUnavailableError(`No ${what} for NVDA in the bundled data set.`);
    const { research } = setup(
      {},
      {},
      {
        createWriter: createTemplateWriter,
        gateway: new FakeGateway({
          failures: { get_analyst_ratings: gap('analyst consensus'), get_company_news: gap('company events') },
        }),
      },
    );
    const result = await research.start('NVDA').result;
    const news = result.findings.find((f) => f.analyst === 'news');
    expect(news?.degraded).toContain('No analyst consensus is available for NVDA');
    expect(result.sections.find((s) => s.id === 'news')?.degraded).toBe(news?.degraded);
    expect(result.problems).toEqual([]);
    expect(result.outcome).toBe('ok');
  });

  it('gives a failing analyst neutral, zero-confidence findings with a plain reason', async () => {
    const { research } = setup({}, { failAnalysts: ['news'] });
    const run = research.start('NVDA');
    const events = record(run);
    const result = await run.result;
    const reason = 'The news & events analysis could not be completed: the news model gave no answer';
    const news = result.findings.find((f) => f.analyst === 'news');
    expect(news).toEqual({
      analyst: 'news',
      signal: 'neutral',
      confidence: 0,
      points: [],
      figures: [],
      degraded: reason,
    });
    const finished = events.find((e) => e.name === 'analystFinished' && e.payload.analyst === 'news');
    expect(finished?.payload).toMatchObject({ findings: news });
    expect(result.outcome).toBe('degraded');
    expect(result.problems).toEqual([reason]);
    expect(result.sections.find((s) => s.id === 'news')?.degraded).toBe(reason);
    expect(events.at(-1)?.name).toBe('runFinished');
  });

  it('gives a failing section a plain-words note and finishes degraded', async () => {
    const { research } = setup({}, { failSections: ['technicals'] });
    const run = research.start('NVDA');
    const events = record(run);
    const result = await run.result;
    const technicals = result.sections[2];
    const reason = 'The Technicals section could not be written: the technicals template broke';
    expect(technicals).toMatchObject({ id: 'technicals', index: 2, degraded: reason });
    expect(technicals?.markdown).toBe(`technicals of NVDA Corp. \n\n_${reason}_\n`);
    expect(result.sections.filter((s) => s.degraded)).toHaveLength(1);
    expect(result.problems).toEqual([reason]);
    expect(result.outcome).toBe('degraded');
    expect(events.filter((e) => e.name === 'sectionReady')).toHaveLength(6);
    expect(events.at(-1)?.name).toBe('runFinished');
  });

  it('throws InvalidInputError synchronously for bad input, before any event or call', () => {
    let created = 0;
    const gateway = new FakeGateway();
    const research = createResearchService({
      gateway,
      createWriter: () => {
        created++;
        return new FakeWriter();
      },
    });
    for (const bad of ['', '   ', 'NVDA AAPL', 'not a ticker!', 'ABCDEFGHIJKLMNOP']) {
      expect(() => research.start(bad)).toThrow(InvalidInputError);
    }
    expect(gateway.calls).toHaveLength(0);
    expect(created).toBe(0);
  });

  it('fails promptly with RunCancelledError when cancelled while tools are pending', async () => {
    const { gateway, research } = setup({ hold: true });
    const run = research.start('NVDA');
    const events = record(run);
    await gateway.waitForCalls(8);
    run.cancel('asked to stop');
    const error = await run.result.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RunCancelledError);
    expect((error as Error).message).toBe('The run was cancelled: asked to stop');
    expect(events.at(-1)).toMatchObject({ name: 'runFailed', payload: { error } });
    expect(gateway.callOptions.every((o) => o?.signal?.aborted)).toBe(true);
  });

  it('escapes a writer that never yields when cancelled, and emits nothing after runFailed', async () => {
    const { writers, research } = setup({}, { hangSections: ['summary'] });
    const run = research.start('NVDA');
    const events = record(run);
    await until(() => writers[0]?.started.length === 6);
    await until(() => writers[0]?.finished.length === 5);
    run.cancel();
    await expect(run.result).rejects.toMatchObject({ code: 'tickerdesk_cancelled', message: 'The run was cancelled.' });
    // Sections 2–6 finished writing but stay buffered behind the hung summary: none was shown.
    expect(events.some((e) => e.name.startsWith('section'))).toBe(false);
    const count = events.length;
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.length).toBe(count);
    expect(events.at(-1)?.name).toBe('runFailed');
    expect(writers[0]?.signals.every((s) => s?.aborted)).toBe(true);
  });

  it('escapes an analyst that never answers when cancelled', async () => {
    const { writers, research } = setup({}, { hangAnalysts: ['risk'] });
    const run = research.start('NVDA');
    const events = record(run);
    await until(() => events.filter((e) => e.name === 'analystFinished').length === 3);
    run.cancel('too slow');
    await expect(run.result).rejects.toBeInstanceOf(RunCancelledError);
    expect(events.at(-1)?.name).toBe('runFailed');
    expect(events.some((e) => e.name === 'sectionStarted')).toBe(false);
    expect(writers[0]?.started).toEqual([]);
  });

  it('survives a listener that throws and an ETA source that fails', async () => {
    const { research } = setup(
      {},
      {},
      {
        eta: {
          estimate: () => {
            throw new Error('metrics store locked');
          },
        },
      },
    );
    const run = research.start('AAPL');
    let started: RunEvents['runStarted'] | undefined;
    run.on('runStarted', (e) => {
      started = e;
    });
    run.on('sectionReady', () => {
      throw new Error('listener bug');
    });
    const result = await run.result;
    expect(started?.eta).toBeNull();
    expect(result.outcome).toBe('ok');
    expect(result.sections).toHaveLength(6);
  });

  it('degrades a section and the run when the writer leaves a note (fallback writer, unverified figure)', async () => {
    const note = 'Written by the offline template: Claude was unavailable (overloaded).';
    const { research } = setup({}, { sectionNotes: { technicals: note } });
    const result = await research.start('NVDA').result;
    expect(result.outcome).toBe('degraded');
    expect(result.sections.find((s) => s.id === 'technicals')?.degraded).toBe(note);
    expect(result.sections.find((s) => s.id === 'summary')?.degraded).toBeUndefined();
    expect(result.problems).toContain(`Technicals: ${note}`);
  });

  it('checks a ticker before any run: known from the directory, unknown with close matches, malformed', async () => {
    const { gateway, research } = setup({ directory: ['NVDA', 'AAPL'] });
    expect(await research.checkTicker?.(' nvda ')).toBeUndefined();
    expect(gateway.calls).toHaveLength(0); // a listed ticker costs no tool call
    const unknown = await research.checkTicker?.('NVDQ');
    expect(unknown).toBeInstanceOf(UnknownTickerError);
    expect((unknown as UnknownTickerError).suggestions).toContain('NVDA');
    expect(gateway.calls.map((c) => c.tool)).toEqual(['get_company_profile']);
    expect(await research.checkTicker?.('two tickers')).toBeInstanceOf(InvalidInputError);
    // Without a directory it cannot tell, and says nothing: the run decides.
    expect(await setup().research.checkTicker?.('NVDQ')).toBeUndefined();
  });

  it('gives each run its own id and writer', async () => {
    const { writers, research } = setup();
    const runs = [research.start('NVDA'), research.start('AAPL'), research.start('NVDA')];
    const results = await Promise.all(runs.map((r) => r.result));
    expect(new Set(results.map((r) => r.runId)).size).toBe(3);
    expect(writers).toHaveLength(3);
    expect(results.map((r) => r.companyName)).toEqual(['NVDA Corp', 'AAPL Corp', 'NVDA Corp']);
  });
});

function sectionOf(e: Recorded): string {
  if (e.name === 'sectionStarted' || e.name === 'sectionDelta') return e.payload.section;
  if (e.name === 'sectionReady') return e.payload.section.id;
  return '';
}
