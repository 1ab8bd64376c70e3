/**
 * Follow-ups under the bench's latency model (issue 14): the time to the answer of "compare with AMD" asked in the
 * thread right after an NVDA report, without smart prefetch, with it (asked once the prefetch is done, and asked at
 * once, while it is still fetching), and the tool calls single-flight and the cache save during a Claude tool-use
 * answer (a scripted model on the Anthropic stand-in that asks for the same tool twice and two tools in parallel).
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { createClaudeAnswerer } from '../src/conversation/claude/index.js';
import { createOfflineAnswerer } from '../src/conversation/offline/index.js';
import { gatewayThreadData } from '../src/conversation/thread-data.js';
import type { FollowUpQuestion, ThreadContext } from '../src/conversation/types.js';
import { SmartPrefetcher } from '../src/prefetch/smart-prefetch.js';
import type { RunResult } from '../src/research/types.js';
import { createAnthropicClient } from '../src/writers/claude/client.js';
import { scriptComparisonAnswer, startAnthropicStandIn } from '../test/helpers/anthropic-stand-in.js';
import { finishedThread } from '../test/helpers/thread-records.js';
import type { Harness } from './harness.js';
import { median } from './stats.js';

/** Time to the answer of one way of asking, median over the runs, and the server calls the answer made. */
export interface FollowUpTiming {
  medianMs: number;
  samplesMs: number[];
  /** Calls the answer sent to the data server (median). */
  serverCalls: number;
}

/** What {@link measureFollowUps} measures. */
export interface FollowUpResults {
  comparison: { withoutPrefetch: FollowUpTiming; afterPrefetch: FollowUpTiming; duringPrefetch: FollowUpTiming };
  /** Prefetch after one report: calls sent in the background, and its duration, ms (median). */
  prefetch: { calls: number; medianMs: number };
  claude: {
    /** Tool calls the scripted model asked for. */
    modelToolCalls: number;
    /** Of those, sent to the data server. */
    serverCalls: number;
    /** Joined an identical call in flight (single-flight). */
    coalesced: number;
    /** Read from the cache (asked again in a later turn). */
    cacheHits: number;
    answerMs: number;
  };
}

const question = (text: string): FollowUpQuestion => ({
  text,
  user: 'U-bench',
  askedAt: new Date().toISOString(),
  id: `bench-${Math.random()}`,
});

function contextOf(h: Harness, result: RunResult): ThreadContext {
  return { record: finishedThread(result, 'C-bench', 'U-bench'), data: gatewayThreadData(h.gateway) };
}

/** One "compare with AMD" after a cold NVDA report, timed from the question to the answer. */
async function askComparison(h: Harness, prefetch: 'none' | 'after' | 'during') {
  await h.clearCache();
  const result = await h.run('NVDA');
  const prefetcher = new SmartPrefetcher({ gateway: h.gateway, peers: 3, logger: h.logger });
  let prefetchMs = 0;
  let prefetched = 0;
  try {
    if (prefetch !== 'none') {
      const t = performance.now();
      const done = prefetcher.after(result).then((c) => {
        prefetchMs = performance.now() - t;
        prefetched = c?.made ?? 0;
      });
      if (prefetch === 'after') await done;
    }
    const t0 = performance.now();
    const answer = await createOfflineAnswerer().answer(question('compare with AMD'), contextOf(h, result), {
      signal: new AbortController().signal,
    });
    const ms = performance.now() - t0;
    if (!answer.text.includes('AMD')) throw new Error(`the comparison did not answer: ${answer.text}`);
    // Calls the answer itself sent to the server (a call it joined in flight, or read from the cache, is not one).
    const calls = answer.toolCalls.filter((c) => c.cache === 'miss').length;
    return { ms, calls, prefetchMs, prefetched };
  } finally {
    await prefetcher.close();
  }
}

async function timing(h: Harness, runs: number, prefetch: 'none' | 'after' | 'during') {
  const samples: { ms: number; calls: number; prefetchMs: number; prefetched: number }[] = [];
  for (let i = 0; i < runs; i++) samples.push(await askComparison(h, prefetch));
  return {
    timing: {
      medianMs: Math.round((median(samples.map((s) => s.ms)) ?? 0) * 10) / 10,
      samplesMs: samples.map((s) => Math.round(s.ms * 10) / 10),
      serverCalls: median(samples.map((s) => s.calls)) ?? 0,
    },
    prefetchMs: median(samples.map((s) => s.prefetchMs)) ?? 0,
    prefetched: median(samples.map((s) => s.prefetched)) ?? 0,
  };
}

/** A Claude tool-use answer with a scripted model: same tool twice and two tools in parallel, then again. */
async function claudeAnswer(h: Harness) {
  await h.clearCache();
  const result = await h.run('NVDA');
  const standIn = await startAnthropicStandIn();
  try {
    scriptComparisonAnswer(standIn);
    const config = loadConfig({
      ANTHROPIC_API_KEY: 'bench-key',
      ANTHROPIC_BASE_URL: standIn.url,
      TICKERDESK_HOME: h.config.home,
      LOG_LEVEL: 'silent',
    });
    const answerer = createClaudeAnswerer({
      config,
      gateway: h.gateway,
      logger: h.logger,
      client: createAnthropicClient(config, h.logger, 0),
    });
    const t0 = performance.now();
    const answer = await answerer.answer(question('compare with AMD'), contextOf(h, result), {
      signal: new AbortController().signal,
    });
    const answerMs = performance.now() - t0;
    if (answer.answerer !== 'claude') throw new Error(`the Claude answer fell back: ${answer.fallback}`);
    const model = answer.toolCalls.filter((c) => c.args.ticker === 'AMD' && !('start' in c.args)).slice(0, 6);
    return {
      modelToolCalls: answerer.stats().toolCalls,
      serverCalls: answerer.stats().serverCalls,
      coalesced: model.filter((c) => c.cache === 'coalesced').length,
      cacheHits: model.filter((c) => c.cache === 'hit').length,
      answerMs: Math.round(answerMs),
    };
  } finally {
    await standIn.close();
  }
}

/** Measure the follow-up figures (each way of asking `runs` times, cold cache before each report). */
export async function measureFollowUps(h: Harness, runs: number): Promise<FollowUpResults> {
  const without = await timing(h, runs, 'none');
  const after = await timing(h, runs, 'after');
  const during = await timing(h, runs, 'during');
  return {
    comparison: { withoutPrefetch: without.timing, afterPrefetch: after.timing, duringPrefetch: during.timing },
    prefetch: { calls: after.prefetched, medianMs: Math.round(after.prefetchMs) },
    claude: await claudeAnswer(h),
  };
}

/** The follow-up figures as lines for the bench's printout. */
export function formatFollowUps(r: FollowUpResults): string {
  const c = r.comparison;
  const row = (label: string, t: FollowUpTiming) =>
    `  ${label.padEnd(40)} ${String(t.medianMs).padStart(8)} ms   ${t.serverCalls} server calls`;
  return [
    'Follow-up "compare with AMD" right after an NVDA report (median, time from question to answer):',
    row('without smart prefetch', c.withoutPrefetch),
    row('with smart prefetch, asked after it', c.afterPrefetch),
    row('with smart prefetch, asked while it runs', c.duringPrefetch),
    `  smart prefetch after the report: ${r.prefetch.calls} background calls in ${r.prefetch.medianMs} ms`,
    'Claude tool-use answer (scripted: the same tool twice and two tools in parallel, then a repeat):',
    `  ${r.claude.modelToolCalls} tool calls asked, ${r.claude.serverCalls} sent to the server: ${r.claude.coalesced} coalesced by single-flight, ${r.claude.cacheHits} served from the cache; answer in ${r.claude.answerMs} ms`,
    '',
  ].join('\n');
}
