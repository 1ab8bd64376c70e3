/**
 * The naive flow tickerdesk replaces, on the same components with the optimisations off: the four analysts one
 * after another, each making its own tool calls one at a time (4, 3, 3 and 2 calls, overlapping as in the original
 * flow: the profile three times, prices and annual statements twice), through a gateway with no cache and one call
 * in flight; then the whole report written section by section and shown in one piece at the end.
 */
import { performance } from 'node:perf_hooks';
import { ErrorCode, TickerdeskError } from '../src/errors.js';
import { planRequests } from '../src/research/plan.js';
import { bundlePartData } from '../src/research/tool-results.js';
import {
  ANALYSTS,
  type AnalystName,
  type BundleKey,
  type BundlePart,
  type DataBundle,
  type Findings,
  SECTIONS,
} from '../src/research/types.js';
import type { ToolGateway } from '../src/tools/types.js';
import type { Writer } from '../src/writers/types.js';

/** The tool calls each analyst makes on its own in the naive flow (12 calls, 8 distinct). */
export const NAIVE_CALLS: Readonly<Record<AnalystName, readonly BundleKey[]>> = {
  fundamentals: ['profile', 'financialsAnnual', 'financialsQuarterly', 'prices'],
  technicals: ['profile', 'prices', 'technicals'],
  news: ['profile', 'news', 'analyst'],
  risk: ['financialsAnnual', 'insider'],
};

/** One naive run's timings, ms. Nothing is shown before the report, so first output = first section = total. */
export interface NaiveSample {
  totalMs: number;
  firstOutputMs: number;
  firstSectionMs: number;
  /** Bytes of Markdown in the report (proof it was written). */
  reportChars: number;
}

async function fetchPart(gateway: ToolGateway, key: BundleKey, ticker: string): Promise<BundlePart<unknown>> {
  const planned = planRequests(ticker).find((p) => p.part === key);
  if (!planned) throw new Error(`no planned request fills ${key}`);
  const source = `${planned.request.server}/${planned.request.tool}`;
  try {
    const r = await gateway.call(planned.request, { fresh: true });
    return {
      status: 'ok',
      data: bundlePartData(planned.part, r.data),
      source: r.source,
      fetchedAt: r.fetchedAt,
      cache: r.cache,
      ms: r.ms,
    };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const unavailable = err instanceof TickerdeskError && err.code === ErrorCode.DataUnavailable;
    return { status: unavailable ? 'unavailable' : 'failed', reason, source };
  }
}

/**
 * Run the naive flow for `ticker`. Each analyst sees what it fetched plus what earlier analysts fetched (they shared
 * one conversation in the original flow); parts nobody fetched yet are unavailable to it.
 */
export async function runNaive(gateway: ToolGateway, writer: Writer, ticker: string): Promise<NaiveSample> {
  const t0 = performance.now();
  const parts: Partial<Record<BundleKey, BundlePart<unknown>>> = {};
  const bundleNow = (): DataBundle => {
    const missing: BundlePart<unknown> = {
      status: 'unavailable',
      reason: 'not fetched by this agent',
      source: 'naive',
    };
    const all = {} as Record<BundleKey, BundlePart<unknown>>;
    for (const p of planRequests(ticker)) all[p.part] = parts[p.part] ?? missing;
    return { ticker, ...all } as DataBundle;
  };
  const findings = {} as Record<AnalystName, Findings>;
  for (const analyst of ANALYSTS) {
    for (const key of NAIVE_CALLS[analyst]) parts[key] = await fetchPart(gateway, key, ticker);
    findings[analyst] = await writer.analyze(analyst, bundleNow());
  }
  const bundle = bundleNow();
  const profile = bundle.profile;
  const companyName = profile.status === 'ok' ? (profile.data as { name?: string }).name : undefined;
  let report = '';
  for (const { id, title } of SECTIONS) {
    let text = '';
    for await (const chunk of writer.writeSection(id, {
      ticker,
      findings,
      bundle,
      ...(companyName ? { companyName } : {}),
    }))
      text += chunk;
    report += `## ${title}\n\n${text}\n\n`;
  }
  const totalMs = performance.now() - t0;
  return { totalMs, firstOutputMs: totalMs, firstSectionMs: totalMs, reportChars: report.length };
}
