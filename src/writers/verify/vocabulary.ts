/**
 * The words a sentence uses to name a metric, a period and a direction, for the claim check (`claims.ts`).
 *
 * Metrics come from the figures themselves: each figure's label, lower-cased without its parenthetical
 * (`Revenue growth (YoY)` → `revenue growth`, `P/E (price ÷ diluted EPS)` → `p/e`), and every run of words inside it
 * (`revenue`, `growth`, `gross margin`, `margin`), so a figure renamed or added in `research/analysts/` is named by its
 * label without a change here. {@link ALIASES} adds the usual other words for them (`sales` for revenue, `P/E` for
 * price-to-earnings, `50-day average` for SMA 50). A phrase found in a sentence names every figure whose label (or an
 * alias of it) contains the phrase, except where the phrase is only the qualifier of another thing: `price` does not
 * name the `mean price target`.
 */
import { periodOrder } from './reference.js';

/**
 * Other words for phrases of figure labels: alias → the label phrase(s) it stands for. Longer phrases win, so
 * `price target` is a target, `earnings per share` is EPS and `open-market sales` are insiders' sales, not revenue.
 */
// biome-ignore format: a word table
export const ALIASES: Readonly<Record<string, string | readonly string[]>> = {
  'sales': 'revenue', 'net sales': 'revenue', 'top line': 'revenue', 'turnover': 'revenue', 'revenues': 'revenue',
  'net profit': 'net income', 'profit': 'net income', 'profits': 'net income', 'bottom line': 'net income',
  'earnings': 'net income', 'net earnings': 'net income',
  'earnings per share': 'eps', 'diluted eps': 'eps', 'diluted earnings per share': 'eps',
  'fcf': 'free cash flow', 'cash flow': 'free cash flow',
  'price-to-earnings': 'p/e', 'price/earnings': 'p/e', 'price to earnings': 'p/e', 'pe ratio': 'p/e',
  'p/e ratio': 'p/e', 'times earnings': 'p/e', 'earnings multiple': 'p/e',
  'price-to-sales': 'p/s', 'price/sales': 'p/s', 'price to sales': 'p/s', 'times sales': 'p/s',
  'times revenue': 'p/s', 'sales multiple': 'p/s',
  'market cap': 'market capitalisation', 'market capitalization': 'market capitalisation',
  'market value': 'market capitalisation',
  'relative strength': 'rsi', 'relative strength index': 'rsi',
  'share price': 'price', 'stock price': 'price', 'closed at': 'price', 'closes at': 'price', 'close': 'price',
  'trades at': 'price', 'trading at': 'price', 'traded at': 'price', 'trade at': 'price', 'priced at': 'price',
  'last close': 'price', 'closing price': 'price',
  'price target': 'target', 'price targets': 'target', 'targets': 'target', 'mean target': 'mean target',
  'mean price target': 'mean target', 'average target': 'mean target', 'average price target': 'mean target',
  'consensus target': 'mean target', 'consensus price target': 'mean target', 'downside': 'implied upside',
  'below the high': 'drawdown from 52-week high', 'below its high': 'drawdown from 52-week high',
  'below the 52-week high': 'drawdown from 52-week high', 'below its 52-week high': 'drawdown from 52-week high',
  'off the high': 'drawdown from 52-week high', 'off its high': 'drawdown from 52-week high',
  'from the high': 'drawdown from 52-week high', 'from its high': 'drawdown from 52-week high',
  'peak-to-trough': 'largest drawdown', 'peak to trough': 'largest drawdown', 'drawdowns': 'drawdown',
  'annualised volatility': 'volatility', 'annualized volatility': 'volatility',
  'leverage': 'debt to equity', 'debt-to-equity': 'debt to equity', 'debt/equity': 'debt to equity',
  'insiders sold': 'insider open-market sales', 'insider selling': 'insider open-market sales',
  'insider sales': 'insider open-market sales', 'insiders bought': 'insider open-market purchases',
  'insider buying': 'insider open-market purchases',
  'open-market sales': ['insider sale transactions', 'insider open-market sales'],
  'open-market sale': ['insider sale transactions', 'insider open-market sales'],
  'purchases': ['insider purchase transactions', 'insider open-market purchases'],
  'purchase': ['insider purchase transactions', 'insider open-market purchases'],
  'bought': ['insider purchase transactions', 'insider open-market purchases'],
  'analysts': 'analysts covering', 'analyst': 'analysts covering',
  'cash and investments': 'cash and short-term investments', 'cash pile': 'cash and short-term investments',
  'equity': 'shareholders equity',
  'compounded': 'revenue cagr', 'compound annual growth': 'cagr', 'returned': 'return', 'returns': 'return',
};

/** Words that alone name nothing (they qualify a metric or a period). */
// biome-ignore format: a word list
const STOP = new Set([
  'a', 'an', 'the', 'of', 'to', 'in', 'on', 'at', 'by', 'and', 'or', 'vs', 'with', 'from', 'since', 'per', 'for',
  'day', 'days', 'last', 'latest', 'year', 'years', 'quarter', 'quarterly', 'annual', 'month', 'months', 'week',
  'data', 'parts', 'missing', 'item', 'items', 'filings', 'filing', 'results', 'events', 'share', 'shares', 'total',
  'change', 'largest', 'highest', 'lowest', 'mean', 'high', 'low', 'net', 'open-market', 'transactions', 'sale',
  'purchase', 'seller', 'insider', 'snapshot', 'consensus', 'top', 'diluted', '1m', '3m', '1y', '30-day', '90-day',
  'value', 'values', 'left', 'out', 'number', 'count', 'amount', 'level',
]);

/** Words after which a phrase names another thing than itself: the `price` of a `price target`. */
const HEADS = new Set(['target', 'targets']);

/** `SMA 50` in a label is also written `50-day average`, `50-day moving average`, `50-day SMA`. */
function smaVariants(phrase: string): string[] {
  const m = phrase.match(/\bsma (\d+)\b/);
  if (!m) return [];
  const n = m[1];
  return [`${n}-day average`, `${n}-day moving average`, `${n}-day sma`, `${n}-day ma`, `sma${n}`, `${n}-day`].map(
    (v) => phrase.replace(`sma ${n}`, v),
  );
}

/** A label as a phrase: lower case, no parenthetical, single spaces. */
export function labelPhrase(label: string): string {
  return label
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[’]/g, "'")
    .replace(/'(?=\s|$)/g, '')
    .replace(/\bprice (targets?)\b/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

const words = (phrase: string) => phrase.split(' ').filter(Boolean);

/** Whether `part` occurs in `whole` as whole words, and not as the qualifier of a {@link HEADS} word. */
function names(w: readonly string[], p: readonly string[]): boolean {
  for (let i = 0; i + p.length <= w.length; i++) {
    if (p.every((x, j) => w[i + j] === x) && !HEADS.has(w[i + p.length] ?? '')) return true;
  }
  return false;
}

/** One phrase found in a text. */
export interface Mention {
  start: number;
  end: number;
  /** Canonical phrase (an alias is replaced by what it stands for). */
  phrase: string;
  /** Figure names it names. */
  metrics: ReadonlySet<string>;
}

/** The metric vocabulary of one set of figures. Build once per run with {@link buildVocabulary}. */
export interface Vocabulary {
  /** Text phrase (words joined by one space, see {@link tokens}) → the canonical phrase and the figures it names. */
  phrases: ReadonlyMap<string, { phrase: string; metrics: ReadonlySet<string> }>;
  /** Most words in a phrase. */
  longest: number;
  /** The first words of the phrases (a quick skip). */
  firstWords: ReadonlySet<string>;
}

/**
 * The metric phrases of a set of figures (see the module comment).
 * @param labels figure name → label (one label per name; the first wins).
 */
export function buildVocabulary(labels: ReadonlyMap<string, string>): Vocabulary {
  const byMetric = new Map<string, string[][]>(); // figure name → the words of its phrases (label and variants)
  for (const [name, label] of labels) {
    const phrase = labelPhrase(label);
    byMetric.set(name, [phrase, ...smaVariants(phrase)].map(words));
  }
  const candidates = new Set<string>();
  for (const list of byMetric.values()) {
    for (const w of list) {
      candidates.add(w.join(' ')); // the whole label, whatever its words
      for (let i = 0; i < w.length; i++) {
        for (let j = i + 1; j <= Math.min(w.length, i + 5); j++) {
          const sub = w.slice(i, j);
          if (STOP.has(sub[0] ?? '') || STOP.has(sub[sub.length - 1] ?? '')) continue;
          if (sub.every((x) => /^[\d.]+$/.test(x))) continue;
          candidates.add(sub.join(' '));
        }
      }
    }
  }
  const phrases = new Map<string, { phrase: string; metrics: ReadonlySet<string> }>();
  const resolve = (canonical: string): Set<string> => {
    const part = words(canonical);
    const out = new Set<string>();
    for (const [name, list] of byMetric) if (list.some((w) => names(w, part))) out.add(name);
    return out;
  };
  for (const c of candidates) {
    const metrics = resolve(c);
    if (metrics.size === 0) continue;
    phrases.set(c, { phrase: c, metrics });
  }
  for (const [alias, stands] of Object.entries(ALIASES)) {
    // An alias that is also a phrase of a label keeps what it names there (`mean target` is in `change in the mean
    // target` too).
    const canonical = typeof stands === 'string' ? [stands] : stands;
    const metrics = new Set([...canonical.flatMap((c) => [...resolve(c)]), ...(phrases.get(alias)?.metrics ?? [])]);
    if (metrics.size > 0) phrases.set(alias, { phrase: canonical[0] ?? alias, metrics });
  }
  const longest = Math.max(0, ...[...phrases.keys()].map((k) => words(k).length));
  return { phrases, longest, firstWords: new Set([...phrases.keys()].map((k) => words(k)[0] ?? '')) };
}

/** One word of a text, lower-cased, with where it is. */
interface Token {
  word: string;
  start: number;
  end: number;
}

const TOKEN = /[A-Za-z0-9][A-Za-z0-9/'’.&-]*[A-Za-z0-9]|[A-Za-z0-9]/g;

/** The words of a text (`p/e`, `52-week`, `shareholders'` → `shareholders` are one word each). */
export function tokens(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => {
    const start = m.index ?? 0;
    return { word: m[0].toLowerCase().replace(/[’]/g, "'"), start, end: start + m[0].length };
  });
}

/** Every metric phrase in `text`, in order (the longest phrase at each place). */
export function findMentions(text: string, vocabulary: Vocabulary): Mention[] {
  const t = tokens(text);
  const out: Mention[] = [];
  for (let i = 0; i < t.length; ) {
    if (!vocabulary.firstWords.has(t[i]?.word ?? '')) {
      i += 1;
      continue;
    }
    let found: { phrase: string; metrics: ReadonlySet<string> } | undefined;
    let last = i;
    let key = '';
    for (let j = i; j < Math.min(t.length, i + vocabulary.longest); j++) {
      key = j === i ? (t[j]?.word ?? '') : `${key} ${t[j]?.word ?? ''}`;
      const hit = vocabulary.phrases.get(key);
      if (hit) {
        found = hit;
        last = j;
      }
    }
    let next = i + 1;
    if (found) {
      out.push({ start: t[i]?.start ?? 0, end: t[last]?.end ?? 0, phrase: found.phrase, metrics: found.metrics });
      next = last + 1;
    }
    i = next;
  }
  return out;
}

/** A fiscal period a sentence names: `FY2026`, `Q1 FY2027`. */
export type PeriodToken = string;

const QUARTER =
  /\b(?:Q([1-4])\s*(?:of\s+)?(?:FY|fiscal(?:\s+year)?)\s?'?(\d{4}|\d{2})|(?:first|second|third|fourth)\s+quarter\s+of\s+(?:FY|fiscal(?:\s+year)?)\s?'?(\d{4}|\d{2}))\b/gi;
const YEAR = /\b(?:FY|fiscal(?:\s+year)?)\s?'?(\d{4}|\d{2})\b/gi;
const ORDINAL: Record<string, string> = { first: '1', second: '2', third: '3', fourth: '4' };
const LATEST_YEAR = /\b(?:last|latest|most\s+recent|past|the\s+recent)\s+fiscal\s+year\b|\blast\s+year\b/gi;
const LATEST_QUARTER = /\b(?:last|latest|most\s+recent|past|recent)\s+(?:fiscal\s+)?quarter\b/gi;

const fullYear = (y: string) => (y.length === 2 ? `20${y}` : y);

/** A period found in a text, with where it is. */
export interface PeriodMention {
  start: number;
  end: number;
  /** `FY2026`, `Q1 FY2027`, or `latest-year` / `latest-quarter` for "last year", "the latest quarter". */
  token: string;
}

/** Every fiscal period named in `text`: `FY2026`, `fiscal 2026`, `FY26`, `Q1 FY2027`, "last year", "latest quarter". */
export function findPeriods(text: string): PeriodMention[] {
  const out: PeriodMention[] = [];
  const taken: [number, number][] = [];
  for (const m of text.matchAll(QUARTER)) {
    const start = m.index ?? 0;
    const q = m[1] ?? ORDINAL[(m[0].split(/\s/)[0] ?? '').toLowerCase()] ?? '';
    const y = m[2] ?? m[3] ?? '';
    out.push({ start, end: start + m[0].length, token: `Q${q} FY${fullYear(y)}` });
    taken.push([start, start + m[0].length]);
  }
  for (const m of text.matchAll(YEAR)) {
    const start = m.index ?? 0;
    if (taken.some(([a, b]) => start >= a && start < b)) continue;
    out.push({ start, end: start + m[0].length, token: `FY${fullYear(m[1] ?? '')}` });
  }
  for (const m of text.matchAll(LATEST_YEAR)) {
    out.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, token: 'latest-year' });
  }
  for (const m of text.matchAll(LATEST_QUARTER)) {
    out.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, token: 'latest-quarter' });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The fiscal periods inside a figure's period: `FY2022–FY2026` → both years, `Q1 FY2027` → that quarter. */
export function periodTokens(period: string | undefined): string[] {
  if (!period) return [];
  return findPeriods(period)
    .map((p) => p.token)
    .filter((t) => !t.startsWith('latest'));
}

/** Whether a period token is a quarter (`Q1 FY2027`). */
export const isQuarter = (token: string) => token.startsWith('Q');

/** The latest fiscal year and quarter among period tokens (`undefined` when none). */
export function latestPeriods(tokens: Iterable<string>): { year?: string; quarter?: string } {
  let year: string | undefined;
  let quarter: string | undefined;
  for (const t of tokens) {
    if (isQuarter(t)) {
      if (!quarter || periodOrder(t) > periodOrder(quarter)) quarter = t;
    } else if (!year || periodOrder(t) > periodOrder(year)) year = t;
  }
  return { ...(year ? { year } : {}), ...(quarter ? { quarter } : {}) };
}

/** Direction words: up (`grew`, `rose`, `above` …) or down (`fell`, `declined`, `below` …). */
// biome-ignore format: word lists
const UP = ['grew', 'grow', 'grows', 'growing', 'rose', 'rise', 'rises', 'rising', 'risen', 'up', 'increased',
  'increase', 'increases', 'increasing', 'gained', 'gain', 'gains', 'climbed', 'climb', 'jumped', 'jump', 'expanded',
  'expand', 'widened', 'improved', 'improve', 'higher', 'above', 'advanced', 'surged', 'soared', 'accelerated'];
// biome-ignore format: word lists
const DOWN = ['fell', 'fall', 'falls', 'falling', 'fallen', 'declined', 'decline', 'declines', 'declining', 'down',
  'decreased', 'decrease', 'decreases', 'shrank', 'shrink', 'shrunk', 'narrowed', 'dropped', 'drop', 'drops',
  'contracted', 'contract', 'slipped', 'lower', 'below', 'lost', 'slid', 'slumped', 'plunged', 'eased', 'weakened',
  'deteriorated', 'tumbled', 'sank'];

/** One direction word in a text. */
export interface DirectionWord {
  start: number;
  end: number;
  word: string;
  sign: 1 | -1;
}

const DIRECTION = new RegExp(`\\b(?:${[...UP, ...DOWN].join('|')})\\b`, 'gi');
const UP_SET = new Set(UP);

/** Every direction word in `text`, in order. */
export function findDirections(text: string): DirectionWord[] {
  return [...text.matchAll(DIRECTION)].map((m) => {
    const start = m.index ?? 0;
    const word = m[0];
    return { start, end: start + word.length, word, sign: UP_SET.has(word.toLowerCase()) ? 1 : -1 };
  });
}
