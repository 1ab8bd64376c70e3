/**
 * A small event-emitting RunHandle for tests of listeners (recorder, CLI printer): the test drives the events.
 */
import { EventEmitter } from 'node:events';
import type { TickerdeskError } from '../../src/errors.js';
import type { RunRecord } from '../../src/metrics/types.js';
import {
  type DataBundle,
  type RunEvents,
  type RunHandle,
  type RunListener,
  type RunResult,
  SECTIONS,
  type Section,
} from '../../src/research/types.js';

/** A RunHandle whose events and result the test controls. */
export class FakeRun implements RunHandle {
  readonly result: Promise<RunResult>;
  readonly emitter = new EventEmitter();
  cancelled: string | undefined;
  private resolve!: (r: RunResult) => void;
  private reject!: (e: unknown) => void;

  constructor(
    readonly runId = `run-${Math.random().toString(36).slice(2, 10)}`,
    readonly ticker = 'NVDA',
  ) {
    this.result = new Promise<RunResult>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    this.result.catch(() => undefined);
  }

  on<K extends keyof RunEvents>(event: K, listener: RunListener<K>): this {
    this.emitter.on(event, listener);
    return this;
  }

  off<K extends keyof RunEvents>(event: K, listener: RunListener<K>): this {
    this.emitter.off(event, listener);
    return this;
  }

  cancel(reason?: string): void {
    this.cancelled = reason ?? 'cancelled';
  }

  emit<K extends keyof RunEvents>(event: K, payload: RunEvents[K]): void {
    this.emitter.emit(event, payload);
  }

  finish(result: RunResult): void {
    this.emit('runFinished', { result });
    this.resolve(result);
  }

  fail(error: TickerdeskError, durationMs = 10): void {
    this.emit('runFailed', { runId: this.runId, ticker: this.ticker, error, durationMs });
    this.reject(error);
  }
}

const emptyBundlePart = { status: 'unavailable' as const, reason: 'not in this test', source: 'test' };

/** A plausible RunResult; override what the test checks. */
export function fakeResult(run: FakeRun, overrides: Partial<RunResult> = {}): RunResult {
  const sections: Section[] = SECTIONS.map((s, index) => ({
    id: s.id,
    title: s.title,
    index,
    markdown: `Text of ${s.title}.`,
  }));
  const bundle: DataBundle = {
    ticker: run.ticker,
    profile: emptyBundlePart,
    financialsAnnual: emptyBundlePart,
    financialsQuarterly: emptyBundlePart,
    prices: emptyBundlePart,
    technicals: emptyBundlePart,
    analyst: emptyBundlePart,
    news: emptyBundlePart,
    insider: emptyBundlePart,
  };
  return {
    runId: run.runId,
    ticker: run.ticker,
    outcome: 'ok',
    sections,
    findings: [],
    verdict: { rating: 'hold', signal: 'neutral', confidence: 0.5, line: 'Hold — mixed signals (confidence 0.50)' },
    startedAt: new Date().toISOString(),
    durationMs: 1200,
    firstOutputMs: 1,
    firstSectionMs: 800,
    stageMs: { prefetch: 500, analysts: 200, sections: 500 },
    tools: { total: 3, hits: 1, misses: 2, coalesced: 0, errors: 0 },
    usage: { inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, costUsd: 0 },
    problems: [],
    bundle,
    ...overrides,
  };
}

/** A finished (`ok`) run record of NVDA with no calls, for the run log's tests. */
export function okRecord(id: string, startedAt = new Date().toISOString()): RunRecord {
  return {
    id,
    ticker: 'NVDA',
    via: 'test',
    startedAt,
    stageMs: {},
    tools: { total: 0, made: 0, hits: 0, coalesced: 0, errors: 0 },
    toolMs: {},
    usage: { inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 0, costUsd: 0 },
    errors: [],
    outcome: 'ok',
  };
}
