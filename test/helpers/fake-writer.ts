/**
 * A real, in-memory {@link Writer} for pipeline tests. `analyze` reads the bundle (revenue of the newest annual
 * period, last close) and returns findings with sourced figures; `writeSection` streams a few chunks built from the
 * findings. It can be told to fail an analyst or a section, to hold sections until released (to control the order
 * in which they finish), or to hang a section forever ignoring the abort signal (a writer that never yields).
 */
import { ErrorCode, TickerdeskError } from '../../src/errors.js';
import type { AnalystName, DataBundle, Figure, Findings, SectionId, Usage } from '../../src/research/types.js';
import type { SectionContext, Writer } from '../../src/writers/types.js';

/** How the fake behaves. */
export interface FakeWriterOptions {
  /** Analysts whose `analyze` throws a WriterFailed error. */
  failAnalysts?: AnalystName[];
  /** Analysts whose `analyze` never settles, ignoring the abort signal. */
  hangAnalysts?: AnalystName[];
  /** Sections whose writing throws after the first chunk. */
  failSections?: SectionId[];
  /** Sections that never yield anything, ignoring the abort signal. */
  hangSections?: SectionId[];
  /** Hold every section after its first chunk until {@link FakeWriter.releaseSection}. */
  holdSections?: boolean;
  /** Notes returned by `sectionNote` (as a fallback writer or an unverified figure would leave). */
  sectionNotes?: Partial<Record<SectionId, string>>;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function once(map: Map<SectionId, ReturnType<typeof deferred>>, section: SectionId): ReturnType<typeof deferred> {
  const existing = map.get(section);
  if (existing) return existing;
  const created = deferred();
  map.set(section, created);
  return created;
}

function figuresFrom(analyst: AnalystName, bundle: DataBundle): Figure[] {
  if (analyst === 'fundamentals' && bundle.financialsAnnual.status === 'ok') {
    const newest = bundle.financialsAnnual.data.periods[0];
    const revenue = newest?.items.revenue;
    if (newest && revenue) {
      return [
        {
          name: 'revenue',
          label: 'Revenue',
          value: revenue.value,
          unit: 'USD',
          period: newest.label,
          source: revenue.source,
        },
      ];
    }
  }
  if (analyst === 'technicals' && bundle.technicals.status === 'ok') {
    const t = bundle.technicals.data;
    return [
      {
        name: 'last_close',
        label: 'Last close',
        value: t.lastClose,
        unit: 'USD/share',
        period: t.asOf,
        source: t.source,
      },
    ];
  }
  return [];
}

const PARTS: Record<AnalystName, keyof DataBundle> = {
  fundamentals: 'financialsAnnual',
  technicals: 'technicals',
  news: 'news',
  risk: 'prices',
};

/** The fake writer. */
export class FakeWriter implements Writer {
  readonly name = 'fake';
  /** Analysts asked, in call order. */
  readonly analyzed: AnalystName[] = [];
  /** Sections whose writing started, in order. */
  readonly started: SectionId[] = [];
  /** Sections whose writing finished (successfully), in finishing order. */
  readonly finished: SectionId[] = [];
  /** Signals passed in, to check cancellation is forwarded. */
  readonly signals: (AbortSignal | undefined)[] = [];
  readonly #options: FakeWriterOptions;
  readonly #gates = new Map<SectionId, ReturnType<typeof deferred>>();
  readonly #done = new Map<SectionId, ReturnType<typeof deferred>>();
  #chunks = 0;

  constructor(options: FakeWriterOptions = {}) {
    this.#options = options;
  }

  sectionNote(section: SectionId): string | undefined {
    return this.#options.sectionNotes?.[section];
  }

  async analyze(analyst: AnalystName, bundle: DataBundle, signal?: AbortSignal): Promise<Findings> {
    this.analyzed.push(analyst);
    this.signals.push(signal);
    await Promise.resolve();
    if (this.#options.hangAnalysts?.includes(analyst)) await new Promise<never>(() => {});
    if (this.#options.failAnalysts?.includes(analyst)) {
      throw new TickerdeskError(ErrorCode.WriterFailed, `the ${analyst} model gave no answer`);
    }
    const part = bundle[PARTS[analyst]];
    const missing = typeof part === 'object' && part.status !== 'ok' ? part.reason : undefined;
    const figures = figuresFrom(analyst, bundle);
    return {
      analyst,
      signal: figures.length > 0 ? 'bullish' : 'neutral',
      confidence: missing ? 0.2 : 0.7,
      points: figures.map((f) => `${f.label} was ${f.value} ${f.unit} (${f.period ?? 'latest'}).`),
      figures,
      ...(missing ? { degraded: `No ${analyst} data: ${missing}` } : {}),
    };
  }

  async *writeSection(section: SectionId, context: SectionContext, signal?: AbortSignal): AsyncIterable<string> {
    this.started.push(section);
    this.signals.push(signal);
    if (this.#options.hangSections?.includes(section)) {
      await new Promise<never>(() => {});
    }
    this.#chunks++;
    yield `${section} of ${context.companyName ?? context.ticker}. `;
    if (this.#options.holdSections) await this.#gate(section).promise;
    if (this.#options.failSections?.includes(section)) throw new Error(`the ${section} template broke`);
    const points = Object.values(context.findings).flatMap((f) => f.points);
    this.#chunks++;
    yield points.length > 0 ? points.join(' ') : 'No figures.';
    this.finished.push(section);
    this.#doneOf(section).resolve();
  }

  usage(): Usage {
    return { inputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: this.#chunks, costUsd: 0 };
  }

  /** Let a held section finish. */
  releaseSection(section: SectionId): void {
    this.#gate(section).resolve();
  }

  /** Resolves when `section` has finished writing. */
  sectionDone(section: SectionId): Promise<void> {
    return this.#doneOf(section).promise;
  }

  #gate(section: SectionId) {
    return once(this.#gates, section);
  }

  #doneOf(section: SectionId) {
    return once(this.#done, section);
  }
}
