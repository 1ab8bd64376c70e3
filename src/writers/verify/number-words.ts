/**
 * Numbers written in words: "nine hundred ninety-nine billion dollars", "sixty percent", "sixty point four percent",
 * "fifty-eight analysts". Our own small parser rather than the `words-to-numbers` package: that package (1.5.1)
 * depends on babel-runtime 6 and a ClojureScript fuzzy matcher, matches words fuzzily (so ordinary words can turn
 * into numbers), and returns a rewritten string without offsets, where the number check needs each number's place
 * (to mark it), its unit and the precision it was written with.
 *
 * Grammar (case-insensitive): units `zero`…`nineteen`, tens `twenty`…`ninety` (with `-` or a space before a unit),
 * `hundred`, scales `thousand`, `million`, `billion`, `trillion`, `and` inside a number, and `point` followed by
 * digit words for decimals. A unit after it: `percent` / `per cent` / `percentage points` (percent), `dollars` (an
 * amount in USD), `times` (a multiple). A number followed by `-day`, ` days`, ` months` … is a window, not data.
 */

/** One number written in words. */
export interface WordNumber {
  text: string;
  start: number;
  end: number;
  value: number;
  unit: 'percent' | 'dollars' | 'times' | undefined;
  /** The largest scale word used (1 when none): `nine billion` → 1e9. */
  scale: number;
  /** The unit of the last word written: `one billion two hundred million` → 1e6, `sixty` → 1. */
  precision: number;
  /** Digits after `point`. */
  decimals: number;
}

// biome-ignore format: a word table
const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
  twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
// biome-ignore format: a word table
const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const SCALE_WORDS: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

const WORD = [...Object.keys(UNITS), ...Object.keys(TENS), 'hundred', ...Object.keys(SCALE_WORDS)].join('|');
/** A run of number words (joined by spaces, hyphens or `and`), then an optional `point` and digit words. */
const RUN = new RegExp(
  `\\b(?:${WORD})(?:(?:[\\s-]+|\\s+and\\s+)(?:${WORD}))*(?:\\s+point(?:\\s+(?:${Object.keys(UNITS)
    .filter((w) => UNITS[w] !== undefined && (UNITS[w] ?? 10) < 10)
    .join('|')}))+)?\\b`,
  'gi',
);
const UNIT_AFTER = /^(\s+(?:percent(?:age points?)?|per\s+cent)\b|\s+dollars\b|\s+times\b)/i;
const WINDOW_AFTER = /^(?:-|\s+)(?:day|week|month|quarter|year)s?\b/i;

/** The value of a run of number words, or `undefined` when the words do not form one number ("two three"). */
function wordsValue(words: readonly string[]): { value: number; scale: number; precision: number } | undefined {
  let total = 0;
  let group = 0;
  let scale = 1;
  let lastScale = 1;
  let last: 'unit' | 'ten' | 'hundred' | 'scale' | undefined;
  for (const w of words) {
    if (w === 'and') continue;
    const unit = UNITS[w];
    const ten = TENS[w];
    const big = SCALE_WORDS[w];
    if (unit !== undefined) {
      if (last === 'unit' || (last === 'ten' && unit >= 10)) return undefined;
      group += unit;
      last = 'unit';
    } else if (ten !== undefined) {
      if (last === 'unit' || last === 'ten') return undefined;
      group += ten;
      last = 'ten';
    } else if (w === 'hundred') {
      if (last === 'hundred' || group === 0) return undefined;
      group *= 100;
      last = 'hundred';
    } else if (big !== undefined) {
      if (group === 0) return undefined;
      total += group * big;
      group = 0;
      scale = Math.max(scale, big);
      lastScale = big;
      last = 'scale';
    }
  }
  return { value: total + group, scale, precision: group > 0 ? 1 : lastScale };
}

/** Every number written in words in `text` (see the module comment), in order. */
export function findWordNumbers(text: string): WordNumber[] {
  const out: WordNumber[] = [];
  for (const m of text.matchAll(RUN)) {
    const start = m.index ?? 0;
    const [whole = '', fraction] = m[0].toLowerCase().split(/\s+point\s+/);
    const parsed = wordsValue(whole.split(/[\s-]+/).filter(Boolean));
    if (!parsed) continue;
    const after = text.slice(start + m[0].length);
    if (WINDOW_AFTER.test(after)) continue;
    const digits = (fraction ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => UNITS[w] ?? 0)
      .join('');
    const unitText = after.match(UNIT_AFTER)?.[1] ?? '';
    const unitWord = unitText.trim().toLowerCase();
    const unit = unitWord.startsWith('per')
      ? 'percent'
      : unitWord === 'dollars'
        ? 'dollars'
        : unitWord === 'times'
          ? 'times'
          : undefined;
    const end = start + m[0].length + unitText.length;
    out.push({
      text: text.slice(start, end),
      start,
      end,
      value: digits ? parsed.value + Number(`0.${digits}`) : parsed.value,
      unit,
      scale: parsed.scale,
      precision: parsed.precision,
      decimals: digits.length,
    });
  }
  return out;
}
