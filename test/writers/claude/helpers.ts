/**
 * Test helpers for the Claude writer: config pointed at the stand-in, and a stand-in "model" that answers from the
 * figures it was sent (as an honest model would), so the tests exercise the real prompts end to end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { Config } from '../../../src/config.js';
import { ANALYSTS, type DataBundle, type Findings, SECTIONS, type SectionId } from '../../../src/research/types.js';
import type { SectionContext, Writer } from '../../../src/writers/types.js';
import {
  type AnthropicStandIn,
  type RecordedRequest,
  type StandInReply,
  systemBlocks,
  userText,
} from '../../helpers/anthropic-stand-in.js';
import { bundledConfig } from '../../helpers/test-config.js';

/** Temp homes made by {@link testConfig} in this test file; removed after its last test. */
const homes: string[] = [];
afterAll(() => {
  for (const home of homes.splice(0)) fs.rmSync(home, { recursive: true, force: true });
});

/** Config for the writer under test: key `test-key`, base URL of the stand-in, a temp home (removed after the file). */
export function testConfig(standIn: AnthropicStandIn, env: Record<string, string> = {}): Config {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tickerdesk-claude-'));
  homes.push(home);
  return bundledConfig({
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: standIn.url,
    SECTION_DEADLINE_MS: '8000',
    TICKERDESK_HOME: home,
    ...env,
  });
}

/** One figure line of the data block, as sent. */
export interface SentFigure {
  /** The figure's id, cited as `{id}`. */
  id: string;
  analyst: string;
  name: string;
  label: string;
  value: number;
  unit: string;
  display: string;
  period: string | null;
}

/** The figures of a request's data block. */
export function sentFigures(request: RecordedRequest): SentFigure[] {
  const data = systemBlocks(request)[1]?.text ?? '';
  const inner = data.split('<figures>\n')[1]?.split('\n</figures>')[0] ?? '';
  return inner
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SentFigure);
}

/** Which analyst or section a request is for. */
export function taskOf(request: RecordedRequest): { analyst?: string; section?: SectionId; rewrite: boolean } {
  const text = userText(request);
  const analyst = text.match(/^Task: you are the (\w+) analyst/)?.[1];
  const section = text.match(/^Task: write the "(\w+)" section/)?.[1] as SectionId | undefined;
  return { ...(analyst ? { analyst } : {}), ...(section ? { section } : {}), rewrite: text.includes('previous draft') };
}

/** Split text into small chunks, as a model streams. */
export function chunks(text: string, size = 9): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Sentences stating an analyst's first figures by their display form. */
export function honestSentences(figs: SentFigure[], analyst: string | undefined, n = 3): string[] {
  const own = figs.filter((f) => !analyst || f.analyst === analyst).slice(0, n);
  // Labels lose their parenthetical ("Largest drawdown (1 year)"): the contract's checker would read "1" as data.
  return own.map(
    (f) => `${f.label.replace(/\s*\([^)]*\)/g, '')} stands at ${f.display}${f.period ? ` (${f.period})` : ''}.`,
  );
}

/** The honest model: JSON findings for analysts, Markdown with true figures for sections. */
export function honestReply(request: RecordedRequest): StandInReply {
  const task = taskOf(request);
  const figs = sentFigures(request);
  if (task.analyst) {
    const rules = userText(request).match(/read this as (\w+) with confidence ([\d.]+)/);
    const answer = { signal: rules?.[1] ?? 'neutral', confidence: 0.6, points: honestSentences(figs, task.analyst) };
    return { kind: 'text', chunks: chunks(JSON.stringify(answer), 40) };
  }
  const analyst = { fundamentals: 'fundamentals', technicals: 'technicals', news: 'news', risks: 'risk' }[
    task.section as string
  ];
  const said = honestSentences(figs, analyst, 2);
  if (said.length === 0) said.push(`The ${analyst ?? 'report'} data is not available for this run.`);
  const text = `${said.join(' ')}\n\nThe picture is balanced across the analysts.`;
  return { kind: 'text', chunks: chunks(text) };
}

/** Run every analyst in parallel, then every section in parallel; collect each section's deltas. */
export async function fullRun(writer: Writer, bundle: DataBundle) {
  const list = await Promise.all(ANALYSTS.map((a) => writer.analyze(a, bundle)));
  const findings = Object.fromEntries(list.map((f) => [f.analyst, f])) as Record<Findings['analyst'], Findings>;
  const context: SectionContext = { ticker: bundle.ticker, findings, bundle };
  const deltas = await Promise.all(SECTIONS.map(({ id }) => collect(writer.writeSection(id, context))));
  const sections = Object.fromEntries(SECTIONS.map(({ id }, i) => [id, deltas[i] ?? []])) as Record<
    SectionId,
    string[]
  >;
  return { findings, context, sections };
}

/** All deltas of a stream. */
export async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of stream) out.push(d);
  return out;
}
