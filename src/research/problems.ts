/**
 * A run's problems, said once per cause. Each stage notes what went wrong for each part it handles; one cause often
 * reaches several parts (the price providers down: the price history and the technical indicators both fail, and the
 * fundamentals, technicals and risk analyses each repeat it), which listed one by one gave five lines for one fault.
 * {@link mergeProblems} turns the notes into one line per cause naming every part it affected:
 *
 * - failed fetches with the same cause (the tool's name aside) become one line naming every data part and tool;
 * - an analysis whose only complaint is a failed fetch already listed is not listed again: the fetch's line says
 *   which analyses it affected;
 * - any other notes with the same cause (a section note "Claude was unavailable (overloaded)" on six sections) are one
 *   line naming the parts.
 */
import type { BundleKey } from './types.js';

/** One problem as a stage notes it, before merging. */
export interface ProblemNote {
  /** The line as said when this part is the only one with its cause. */
  text: string;
  /** What went wrong, the same text for every part one cause affected. */
  cause: string;
  /** Which kind of part: a data part's fetch, an analysis or a report section. */
  kind: 'fetch' | 'analysis' | 'section';
  /** The part in words, without its kind: `price history`, `technicals`, `Fundamentals`. */
  part: string;
  /** For a fetch: the bundle part that failed and the data tool that failed (`tickerdesk/get_price_history`). */
  fetch?: { key: BundleKey; tool?: string };
  /** For an analysis: the failed bundle parts whose failure is all it reports (it says nothing new). */
  repeats?: readonly BundleKey[];
}

const KIND_PLURAL: Readonly<Record<ProblemNote['kind'], string>> = {
  fetch: 'data parts',
  analysis: 'analyses',
  section: 'sections',
};
const KIND_SINGULAR: Readonly<Record<ProblemNote['kind'], string>> = {
  fetch: 'data part',
  analysis: 'analysis',
  section: 'section',
};

function joinList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** `the fundamentals, technicals and risk analyses` / `the risk analysis`. */
function partsInWords(notes: readonly ProblemNote[]): string {
  const kind = notes[0]?.kind ?? 'analysis';
  const parts = [...new Set(notes.map((n) => n.part))];
  return `the ${joinList(parts)} ${parts.length === 1 ? KIND_SINGULAR[kind] : KIND_PLURAL[kind]}`;
}

/** A fetch failure's cause: its reason with the data tool's name left out, so that two tools' failures compare equal. */
export function fetchCause(reason: string): { cause: string; tool?: string } {
  const named = /^The data tool (\S+) /.exec(reason);
  return named?.[1] ? { cause: reason.replace(named[0], 'The data tool '), tool: named[1] } : { cause: reason };
}

/** A group of fetch notes with one cause, as one line (the tools named where the reason named one). */
function fetchLine(group: readonly ProblemNote[], affected: readonly ProblemNote[]): string {
  const first = group[0] as ProblemNote;
  let line = first.text;
  if (group.length > 1) {
    const labels = joinList(group.map((n) => n.part));
    const tools = group.map((n) => n.fetch?.tool).filter((t): t is string => t !== undefined);
    const cause =
      tools.length === group.length && first.cause.startsWith('The data tool ')
        ? first.cause.replace(/^The data tool /, `The data tools ${joinList(tools)} `)
        : first.cause;
    line = `The ${labels} could not be fetched: ${cause}`;
  }
  if (affected.length === 0) return line;
  return `${line.replace(/\.?$/, '.')} This affected ${partsInWords(affected)}.`;
}

/**
 * The run's problem lines, one per cause, in the order the causes were first met (fetches, then analyses, then
 * sections). Never drops a cause: an analysis note is folded into a fetch's line only when every part it repeats has
 * a fetch line.
 */
export function mergeProblems(notes: readonly ProblemNote[]): string[] {
  const fetchByKey = new Map<BundleKey, ProblemNote>();
  for (const n of notes) if (n.kind === 'fetch' && n.fetch) fetchByKey.set(n.fetch.key, n);
  const folded = new Map<string, ProblemNote[]>(); // fetch cause → the analyses it affected
  const kept: ProblemNote[] = [];
  for (const n of notes) {
    const repeats = n.kind === 'analysis' ? (n.repeats ?? []) : [];
    if (repeats.length > 0 && repeats.every((k) => fetchByKey.has(k))) {
      for (const k of repeats) {
        const cause = (fetchByKey.get(k) as ProblemNote).cause;
        const list = folded.get(cause) ?? [];
        if (!list.some((a) => a.part === n.part)) list.push(n);
        folded.set(cause, list);
      }
      continue;
    }
    kept.push(n);
  }
  const groups = new Map<string, ProblemNote[]>();
  for (const n of kept) {
    const key = `${n.kind}\u0000${n.cause}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as ProblemNote;
    if (first.kind === 'fetch') return fetchLine(group, folded.get(first.cause) ?? []);
    if (group.length === 1) return first.text;
    return `${first.cause.replace(/\.?$/, '.')} This affected ${partsInWords(group)}.`;
  });
}
