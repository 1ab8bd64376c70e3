/**
 * The Claude writer: analysts' points and report sections written by Claude through `@anthropic-ai/sdk`, on the
 * deterministic figures only, streamed, number-checked, and backed by the template writer.
 *
 * - `analyze`: the deterministic analyst computes figures, signal and confidence; Claude (one focused prompt per
 *   analyst) answers JSON with its reading and points; a bad answer is asked again once, then the deterministic
 *   findings are used with a note. Figures, signal and confidence always stay deterministic, so the verdict cannot
 *   be moved by anything in the data.
 * - `writeSection`: streamed with `messages.stream()`; text is released sentence by sentence after the number check.
 *   A sentence with a number that matches no figure, or stating a verdict other than the decided one, stops the
 *   release; the rest of the section is asked again once, naming them; a number that still fails is marked
 *   `⚠️unverified` and counted, a wrong verdict is left out with its sentence and counted.
 * - One system prefix per run (shared instructions + the run's data), byte-identical on every call, marked for
 *   caching. Create one writer per run.
 * - Failures: the SDK retries 429/529/5xx/connection errors with backoff; a stream silent for
 *   `config.anthropic.idleTimeoutMs` is ended as stalled, and an overall deadline per call
 *   (`config.anthropic.sectionDeadlineMs`) aborts the stream; then the section comes from the template writer with a
 *   visible note. The first such failure ends Claude for the run: the calls in flight stop and the later ones go
 *   straight to the template writer with the same note; with a {@link ClaudeBreaker} the runs that start during its
 *   cool-off do too. A rejected key throws a plain {@link TickerdeskError}.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Tool } from '@anthropic-ai/sdk/resources/messages/messages.js';
import type { Config } from '../../config.js';
import { type Logger, logger as rootLogger } from '../../log.js';
import {
  ANALYSTS,
  type AnalystName,
  type DataBundle,
  type Findings,
  type SectionId,
  type Usage,
} from '../../research/types.js';
import { decideVerdict } from '../../research/verdict.js';
import { createTemplateWriter } from '../template/index.js';
import type { SectionContext, Writer } from '../types.js';
import {
  buildClaimReference,
  checkClaims,
  resolveReferences,
  UNVERIFIED_MARK,
  unknownReferences,
} from '../verify/index.js';
import type { ClaudeBreaker } from './breaker.js';
import { ClaudeCaller } from './caller.js';
import { CheckedText, type Flag } from './checked-text.js';
import {
  ClaudeOffError,
  createAnthropicClient,
  deadlineSignal,
  isKeyError,
  keyError,
  unavailableReason,
} from './client.js';
import { fallbackFindings, mergeFindings, parseAnalystAnswer } from './findings.js';
import { analystRetryTask, analystTask, rewriteTask, sectionTask } from './prompt.js';
import { countReferences, resolveStream } from './references.js';
import { buildRunData, type RunData, sectionReference } from './run-data.js';
import { textFlags } from './text-flags.js';
import { UsageMeter } from './usage.js';

export { ClaudeBreaker } from './breaker.js';
export { checkClaudeAccess, createAnthropicClient } from './client.js';

/** Options of {@link createClaudeWriter}. */
export interface ClaudeWriterOptions {
  config: Config;
  logger?: Logger;
  /** Writes sections Claude cannot. @default the template writer */
  fallback?: Writer;
  /** A ready client (tests); built from `config` otherwise. */
  client?: Anthropic;
  /** SDK retries per request. @default 2 */
  maxRetries?: number;
  /** The process's breaker, shared by the writers of every run: a failure in one run spares the next ones the wait. */
  breaker?: ClaudeBreaker;
  /**
   * The follow-up answerer's tools, read when the run's prefix is built: sent with every call (never used), so a
   * follow-up in the report's thread reads the run's cached prefix (tools come first in Anthropic's cache order).
   */
  tools?: () => readonly Tool[] | undefined;
}

/** Counters of one run. */
export interface ClaudeWriterStats {
  /** Numbers left marked `⚠️unverified` after a rewrite. */
  unverifiedFigures: number;
  /** Sections asked again because of unmatched numbers or a wrong verdict. */
  rewrites: number;
  /** Figure references (`{revenue.FY2026}`) the writer replaced with the figures' display forms. */
  figureReferences: number;
  /** Sentences left out of a rewrite because they stated a verdict other than the decided one. */
  droppedSentences: number;
  /** Sections written by the fallback writer (wholly or in part). */
  fallbackSections: SectionId[];
  /** Analysts whose findings came from the rules alone (Claude unavailable or unusable). */
  fallbackAnalysts: AnalystName[];
  /** Analysts where Claude's own signal differed from the rules' (the rules' is kept). */
  signalDisagreements: { analyst: AnalystName; claude: string; rules: string }[];
}

/** The Claude writer: a {@link Writer} with run counters. */
export interface ClaudeWriter extends Writer {
  stats(): ClaudeWriterStats;
  /** Why a section is degraded (fallback, unverified numbers), in plain words; `undefined` when it is not. */
  sectionNote(section: SectionId): string | undefined;
}

const ANALYST_MAX_TOKENS = 700;
const SECTION_MAX_TOKENS = 1_200;

/**
 * Create the Claude writer for one run.
 * @throws TickerdeskError(Config) when no API key is configured.
 */
export function createClaudeWriter(options: ClaudeWriterOptions): ClaudeWriter {
  const { config } = options;
  const log = (options.logger ?? rootLogger).child({ writer: 'claude' });
  const client = options.client ?? createAnthropicClient(config, log, options.maxRetries);
  const fallback = options.fallback ?? createTemplateWriter();
  const meter = new UsageMeter(config.anthropic.prices);
  const deadlineMs = config.anthropic.sectionDeadlineMs;
  const notes = new Map<SectionId, string>();
  const stats: ClaudeWriterStats = {
    unverifiedFigures: 0,
    rewrites: 0,
    figureReferences: 0,
    droppedSentences: 0,
    fallbackSections: [],
    fallbackAnalysts: [],
    signalDisagreements: [],
  };
  let run: RunData | undefined;
  // Aborted with a ClaudeOffError at the run's first Claude failure: the calls in flight stop, the later ones skip Claude.
  const runOff = new AbortController();
  const { breaker } = options;

  /** Why this run should not ask Claude now (its own failure, or the process's cool-off), or `undefined`. */
  const off = (): string | undefined =>
    runOff.signal.aborted ? (runOff.signal.reason as ClaudeOffError).reason : breaker?.blocked();

  /** A call failed for want of Claude: no more Claude in this run, nor in the process for the cool-off. */
  const failed = (reason: string): void => {
    if (runOff.signal.aborted) return;
    breaker?.trip(reason);
    runOff.abort(new ClaudeOffError(reason));
    log.warn({ reason }, `Claude failed in this run (${reason}); the template writer writes the rest of it`);
  };

  /** A call's signal: the caller's, this run's Claude breaker and the call's deadline. */
  const callDeadline = (signal: AbortSignal | undefined) =>
    deadlineSignal(deadlineMs, signal ? AbortSignal.any([signal, runOff.signal]) : runOff.signal);

  /** Why a call failed, in plain words; a fresh failure (not this run's breaker) is logged and trips the breakers. */
  const unavailable = (cause: unknown, what: string, fallbackText: string): string => {
    const reason = unavailableReason(cause);
    if (cause instanceof ClaudeOffError) {
      log.debug({ what, reason }, `Claude not asked for ${what}: ${reason}`);
      return reason;
    }
    log.warn({ what, reason }, `Claude unavailable for ${what} (${reason}); ${fallbackText}`);
    failed(reason);
    return reason;
  };

  /** The run's data and prefix, built once (a different bundle rebuilds them: one writer per run is expected). */
  const runData = (bundle: DataBundle): RunData => {
    if (run?.bundle === bundle) return run;
    if (run) log.warn('the Claude writer got a second bundle; build one writer per run so the prefix stays cached');
    const warmWaitMs = Math.min(10_000, deadlineMs / 3);
    run = buildRunData(
      bundle,
      (system) =>
        new ClaudeCaller(
          client,
          config.anthropic.model,
          system,
          meter,
          log,
          warmWaitMs,
          config.anthropic.idleTimeoutMs,
          options.tools?.() ?? [],
        ),
    );
    return run;
  };

  const analyze = async (analyst: AnalystName, bundle: DataBundle, signal?: AbortSignal): Promise<Findings> => {
    const data = runData(bundle);
    const rules = data.deterministic[analyst];
    // Points state only this analyst's own figures (the Findings contract), or values derived from them.
    const own = buildClaimReference(rules.figures, data.dates);
    const check = (text: string) => checkClaims(text, own, data.ignore);
    const skip = off();
    if (skip !== undefined) {
      unavailable(new ClaudeOffError(skip), `the ${analyst} analyst`, '');
      stats.fallbackAnalysts.push(analyst);
      return fallbackFindings(rules, `Claude was unavailable (${skip}); the rule-based findings are shown.`);
    }
    const dl = callDeadline(signal);
    let problem = '';
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const task = attempt === 0 ? analystTask(analyst, rules) : analystRetryTask(analyst, rules, problem);
        const text = await data.caller.complete(task, { signal: dl.signal, maxTokens: ANALYST_MAX_TOKENS });
        const parsed = parseAnalystAnswer(text);
        if (!parsed.ok) {
          problem = parsed.reason;
          continue;
        }
        // The model cites figures by id; the code prints them (a reference to an unknown id is not a figure).
        const points = parsed.answer.points.map((p) => resolveReferences(p, data.ids));
        stats.figureReferences += parsed.answer.points.reduce((n, p) => n + countReferences(p, data.ids), 0);
        const unknown = points.flatMap((p) => unknownReferences(p, data.ids).map((r) => r.reason));
        const bad = points.flatMap((p) => check(p));
        if (bad.length > 0 || unknown.length > 0) {
          const invented = bad.filter((f) => f.problem === 'value').map((f) => f.text);
          const misstated = bad.filter((f) => f.problem !== 'value').map((f) => f.reason);
          problem = [
            ...(invented.length > 0 ? [`these numbers match no figure: ${invented.join(', ')}`] : []),
            ...misstated,
            ...unknown,
          ].join('; ');
          continue;
        }
        breaker?.succeeded();
        const merged = mergeFindings(rules, { ...parsed.answer, points });
        if (merged.disagreement) {
          stats.signalDisagreements.push({ analyst, claude: merged.disagreement, rules: rules.signal });
          log.info({ analyst, claude: merged.disagreement, rules: rules.signal }, 'Claude read the signal differently');
        }
        return merged.findings;
      }
      log.warn(
        { analyst, problem },
        `Claude's ${analyst} answer was unusable twice (${problem}); using the rule-based findings`,
      );
      stats.fallbackAnalysts.push(analyst);
      return fallbackFindings(
        rules,
        `Claude's ${analyst} answer was not usable (${problem}); the rule-based findings are shown.`,
      );
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      if (isKeyError(err)) throw keyError(err);
      const reason = unavailable(dl.deadline() ?? err, `the ${analyst} analyst`, 'using the rule-based findings');
      stats.fallbackAnalysts.push(analyst);
      return fallbackFindings(rules, `Claude was unavailable (${reason}); the rule-based findings are shown.`);
    } finally {
      dl.clear();
    }
  };

  async function* writeSection(section: SectionId, context: SectionContext, signal?: AbortSignal) {
    const data = runData(context.bundle);
    const verdict = decideVerdict(ANALYSTS.map((a) => context.findings[a]).filter((f): f is Findings => Boolean(f)));
    const reference = sectionReference(data, Object.values(context.findings), verdict);
    // Numbers that no figure backs as the sentence states them (value, metric, period, direction), and a verdict other
    // than the decided one (a model talked into another call).
    // A reference to an id that no figure has is a finding like an invented number.
    const check = (text: string): Flag[] =>
      textFlags(text, { reference, ids: data.ids, ignore: data.ignore, rating: verdict.rating, section });
    const cited = (n: number) => {
      stats.figureReferences += n;
    };
    const skip = off();
    if (skip !== undefined) {
      unavailable(new ClaudeOffError(skip), `the ${section} section`, '');
      yield* templateSection(section, context, signal, skip, '');
      return;
    }
    const dl = callDeadline(signal);
    const call = { signal: dl.signal, maxTokens: SECTION_MAX_TOKENS };
    let posted = '';
    try {
      const first = new CheckedText(check, 'hold');
      const answer = data.caller.stream(sectionTask(section, context, verdict), call);
      for await (const delta of resolveStream(answer, data.ids, cited)) {
        const out = first.push(delta);
        if (out) {
          posted += out;
          yield out;
        }
      }
      const tail = first.end();
      if (tail) {
        posted += tail;
        yield tail;
      }
      breaker?.succeeded();
      if (!first.failed) return;
      stats.rewrites += 1;
      log.info(
        { section, offending: first.flags.map((f) => f.reason ?? f.text) },
        'numbers or a verdict matched no figure as stated; asking for a rewrite',
      );
      const second = new CheckedText(check, 'mark', posted);
      const lead = posted === '' || /\s$/.test(posted) ? '' : ' ';
      let fresh = true;
      let started = false;
      const emit = (released: string): string => {
        // The first text of the rewrite joins the shown text with exactly one space (or its own line break).
        const out = started ? released : released.replace(/^[ \t]+/, '');
        const text = started || out === '' || out.startsWith('\n') ? out : lead + out;
        started ||= out !== '';
        posted += text;
        return text;
      };
      const task = rewriteTask(section, context, verdict, posted, first.flags);
      for await (const delta of resolveStream(data.caller.stream(task, call), data.ids, cited)) {
        const out = emit(second.push(fresh ? delta.replace(/^\s+/, '') : delta));
        fresh &&= delta.trim() === '';
        if (out) yield out;
      }
      const rest = emit(second.end());
      if (rest) yield rest;
      if (posted.trim() === '') {
        // Neither answer gave usable text: the template writes the section.
        stats.fallbackSections.push(section);
        const note = 'Written by the offline template: Claude gave no usable text.';
        notes.set(section, note);
        yield `_${note}_\n\n`;
        yield* fallback.writeSection(section, context, signal);
        return;
      }
      const said: string[] = [];
      if (second.marked > 0) {
        stats.unverifiedFigures += second.marked;
        said.push(
          `${second.marked} number${second.marked === 1 ? '' : 's'} could not be verified against the data and ${second.marked === 1 ? 'is' : 'are'} marked ${UNVERIFIED_MARK}.`,
        );
      }
      if (second.dropped > 0) {
        stats.droppedSentences += second.dropped;
        said.push(
          `${second.dropped === 1 ? 'A sentence that stated' : `${second.dropped} sentences that stated`} a verdict or advice other than tickerdesk's verdict ${second.dropped === 1 ? 'was' : 'were'} left out.`,
        );
      }
      if (said.length > 0) notes.set(section, said.join(' '));
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      if (isKeyError(err)) throw keyError(err);
      const reason = unavailable(dl.deadline() ?? err, `the ${section} section`, 'the template writes it');
      yield* templateSection(section, context, signal, reason, posted);
    } finally {
      dl.clear();
    }
  }

  /** The template writer's section under a note saying why Claude did not write it (after any text already shown). */
  async function* templateSection(
    section: SectionId,
    context: SectionContext,
    signal: AbortSignal | undefined,
    reason: string,
    posted: string,
  ) {
    stats.fallbackSections.push(section);
    const note = `Written by the offline template: Claude was unavailable (${reason}).`;
    notes.set(section, note);
    yield posted === '' ? `_${note}_\n\n` : `\n\n_${note} The template's version of this section follows._\n\n`;
    yield* fallback.writeSection(section, context, signal);
  }

  return {
    name: 'claude',
    analyze,
    writeSection,
    usage: (): Usage => ({ ...meter.usage(), unverifiedFigures: stats.unverifiedFigures, rewrites: stats.rewrites }),
    stats: () => structuredClone(stats),
    sectionNote: (section) => notes.get(section),
  };
}
