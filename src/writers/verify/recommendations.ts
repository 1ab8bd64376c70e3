/**
 * The recommendation check: only the verdict section states what to do, and only what tickerdesk's rules decided. A
 * model can recommend without the checked words of `verdict-claims.ts` ("our advice is to avoid the stock", "it is
 * time to take profits", "NVDA is a sell"); this finds those sentences so the writer can leave them out.
 *
 * What counts:
 * - **advice to act** — an action (buy, accumulate, add to, sell, avoid, exit, trim, reduce, take or book profits, stay
 *   away, steer clear, get out, short, hold on …) in an advice frame: "investors should …", "we recommend / suggest /
 *   advise …", "our advice / recommendation / call is to …", "it is time / wise to …", "consider buying …", "a good time
 *   to …", or an imperative at the start of a sentence ("Avoid the stock.", "Take profits now.");
 * - **a rating of our own** — "NVDA is a sell", "we rate it Hold", "looks like a strong buy".
 * Ratings given by others (a sentence about analysts, the consensus or the Street) are not ours and pass.
 * Outside the verdict section any advice is a finding; in the verdict section, advice or a rating whose direction is
 * not the decided rating's. A rating equal to the decided one may be stated anywhere (the summary names it).
 */
import type { SectionId, Verdict } from '../../research/types.js';

/** A sentence's recommendation that must be left out. */
export interface RecommendationClaim {
  /** The printed phrase, e.g. `our advice is to avoid`. */
  text: string;
  start: number;
  end: number;
  /** Plain words for the rewrite prompt. */
  reason: string;
}

type Rating = Verdict['rating'];

const BUY = 'buy(?:ing)?|accumulat(?:e|ing)|add(?:ing)?\\s+to|load(?:ing)?\\s+up(?:\\s+on)?|pil(?:e|ing)\\s+in(?:to)?';
const SELL =
  'sell(?:ing)?|avoid(?:ing)?|exit(?:ing)?|trim(?:ming)?|reduc(?:e|ing)|(?:take|taking|book|booking|lock|locking)\\s+(?:in\\s+)?(?:some\\s+)?profits?|stay(?:ing)?\\s+away|steer(?:ing)?\\s+clear|get(?:ting)?\\s+out|short(?:ing)?|dump(?:ing)?|lighten(?:ing)?\\s+up|cut(?:ting)?\\s+(?:the\\s+)?position';
const HOLD =
  'hold(?:ing)?\\s+(?:on|onto|the\\s+(?:stock|shares|position))|keep(?:ing)?\\s+holding|sit(?:ting)?\\s+tight';
const ACTION = `(${BUY})|(${SELL})|(${HOLD})`;

/** Advice frames, each ending where the action starts. */
const FRAMES = [
  `\\b(?:investors|shareholders|holders|readers|you|one|we|buyers)\\s+(?:should|could|might|may\\s+want\\s+to|would\\s+do\\s+well\\s+to|ought\\s+to|must|need\\s+to)\\s+(?:(?:now|still|probably|consider)\\s+)*`,
  `\\b(?:we|i)\\s+(?:would\\s+)?(?:recommend|advise|suggest|favou?r|prefer|urge)\\s+(?:investors\\s+|clients\\s+|readers\\s+)?(?:to\\s+)?`,
  `\\b(?:our|the|my)\\s+(?:advice|recommendation|suggestion|call|stance|view|preference)\\s+(?:here\\s+)?(?:is|would\\s+be|remains)\\s+(?:to\\s+)?`,
  `\\bit(?:'s|’s|\\s+is)\\s+(?:now\\s+)?(?:time|wise|prudent|advisable|best|sensible)\\s+to\\s+`,
  `\\b(?:a\\s+)?(?:good|great|right|ideal|attractive)\\s+(?:time|moment|opportunity|point|entry\\s+point)\\s+to\\s+`,
  `\\bconsider\\s+`,
];
const ADVICE = new RegExp(`(?:${FRAMES.join('|')})(?:${ACTION})\\b`, 'gi');
/** An imperative at the start of a sentence or bullet, with an object: "Avoid the stock", "Take profits now". */
const IMPERATIVE = new RegExp(
  `(?:^|[.!?]\\s+|\\n\\s*(?:[-*+]\\s+)?)((?:${ACTION})\\b)(?=\\s+(?:the|this|these|its|your|some|now|here|on|into|from|before|ahead|shares|stock|position)\\b|\\s*[.!])`,
  'gi',
);
const RATING_WORDS =
  '(?:strong(?:ly)?\\s+)?(?:buy|sell|hold|outperform|underperform|overweight|underweight|accumulate|reduce|avoid)';
/** A rating of our own: "is a sell", "we rate it Hold", "looks like a strong buy". */
const OWN_RATING = new RegExp(
  `\\b(?:is|remains|looks\\s+like|stays|as)\\s+(?:a\\s+|an\\s+)?(?:clear\\s+|solid\\s+)?(${RATING_WORDS})\\b(?![-\\w]|\\s+(?:rating|consensus|signal|case|target))|\\b(?:we|i)\\s+rate\\s+(?:it|the\\s+stock|the\\s+shares|[A-Z.]{1,6})\\s+(?:a\\s+|as\\s+(?:a\\s+)?)?(${RATING_WORDS})\\b(?![-\\w])`,
  'gi',
);
/** A sentence about others' ratings. */
const OTHERS = /\b(?:analysts?|consensus|street|brokers?|brokerages?|sell-side|wall\s+street|firms?)\b/i;

const direction = (word: string): Rating => {
  const w = word.toLowerCase();
  if (new RegExp(`^(?:${BUY})$`, 'i').test(w) || /buy|outperform|overweight|accumulate/.test(w)) return 'buy';
  if (new RegExp(`^(?:${HOLD})$`, 'i').test(w) || /^hold$/.test(w)) return 'hold';
  return 'sell';
};

const BOUNDARY = /\n|[.!?](?=\s)/g;

function sentenceAt(text: string, at: number): string {
  let from = 0;
  let to = text.length;
  for (const m of text.matchAll(BOUNDARY)) {
    const i = m.index ?? 0;
    if (i < at) from = i + 1;
    else {
      to = i;
      break;
    }
  }
  return text.slice(from, to);
}

/**
 * Every recommendation in `markdown` that must be left out (see the module comment).
 * @param section the section written (advice is left out everywhere but `verdict`).
 * @param rating the decided rating.
 */
export function unwantedRecommendations(markdown: string, section: SectionId, rating: Rating): RecommendationClaim[] {
  const out: RecommendationClaim[] = [];
  const add = (start: number, text: string, said: Rating, kind: 'advice' | 'rating') => {
    if (out.some((o) => start < o.end && start + text.length > o.start)) return;
    const elsewhere = section !== 'verdict' && kind === 'advice';
    if (!elsewhere && said === rating) return;
    out.push({
      text,
      start,
      end: start + text.length,
      reason: elsewhere
        ? `"${text}" advises an action; only the verdict section states what to do, and it states tickerdesk's verdict`
        : `"${text}" says ${said}, but tickerdesk's verdict is ${rating}`,
    });
  };
  for (const m of markdown.matchAll(ADVICE)) {
    const action = m[1] ?? m[2] ?? m[3] ?? '';
    add(m.index ?? 0, m[0], m[1] ? 'buy' : m[3] ? 'hold' : direction(action), 'advice');
  }
  for (const m of markdown.matchAll(IMPERATIVE)) {
    const phrase = m[1] ?? '';
    const start = (m.index ?? 0) + m[0].length - phrase.length;
    add(start, phrase, m[2] ? 'buy' : m[4] ? 'hold' : 'sell', 'advice');
  }
  for (const m of markdown.matchAll(OWN_RATING)) {
    const said = m[1] ?? m[2] ?? '';
    const start = m.index ?? 0;
    if (OTHERS.test(sentenceAt(markdown, start))) continue;
    add(start, m[0], direction(said.replace(/^strong(?:ly)?\s+/i, '')), 'rating');
  }
  return out.sort((a, b) => a.start - b.start);
}
