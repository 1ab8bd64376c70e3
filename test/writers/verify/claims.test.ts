/**
 * The claim check on corrupted sentences built from real figures of the bundled data set (NVDA): each corruption —
 * another year, another metric of the same unit, a wrong direction, a rounding beyond the printed precision, a number
 * in words, a paraphrased recommendation, a price target stated as the price — is caught, and the same sentence
 * written correctly passes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createBundledProvider } from '../../../src/mcp-server/providers/bundled.js';
import { analyzeBundle } from '../../../src/research/analysts/index.js';
import { ANALYSTS, type Figure, type SectionId, type Verdict } from '../../../src/research/types.js';
import { decideVerdict } from '../../../src/research/verdict.js';
import { formatFigure, formatPct } from '../../../src/writers/format.js';
import {
  buildClaimReference,
  type ClaimProblem,
  type ClaimReference,
  checkClaims,
  unwantedRecommendations,
} from '../../../src/writers/verify/index.js';
import { bundleFor, DATA_DIR, hasBundledData } from '../../helpers/bundled-data.js';

let figures: Figure[] = [];
let ref: ClaimReference;
let rating: Verdict['rating'] = 'hold';

/** A whole number below a million in words: 216 → `two hundred sixteen`, 58 → `fifty-eight`. */
function words(n: number): string {
  const units = [
    'zero',
    'one',
    'two',
    'three',
    'four',
    'five',
    'six',
    'seven',
    'eight',
    'nine',
    'ten',
    'eleven',
    'twelve',
    'thirteen',
    'fourteen',
    'fifteen',
    'sixteen',
    'seventeen',
    'eighteen',
    'nineteen',
  ];
  const tens = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
  const below100 = (x: number) =>
    x < 20 ? (units[x] ?? '') : `${tens[Math.floor(x / 10)]}${x % 10 ? `-${units[x % 10]}` : ''}`;
  const below1000 = (x: number) =>
    x >= 100 ? `${units[Math.floor(x / 100)]} hundred${x % 100 ? ` ${below100(x % 100)}` : ''}` : below100(x);
  return n >= 1000
    ? `${below1000(Math.floor(n / 1000))} thousand${n % 1000 ? ` ${below1000(n % 1000)}` : ''}`
    : below1000(n);
}

const fig = (name: string, period?: string): Figure => {
  const f = figures.find((x) => x.name === name && (period === undefined || x.period === period));
  if (!f) throw new Error(`no figure ${name} ${period ?? ''} in the bundle`);
  return f;
};
const show = (name: string, period?: string) => formatFigure(fig(name, period));
const problems = (text: string, section: SectionId = 'fundamentals') => [
  ...checkClaims(text, ref, ['NVDA', 'NVIDIA']).map((f) => f.problem),
  ...unwantedRecommendations(text, section, rating).map(() => 'recommendation'),
];

describe.skipIf(!hasBundledData)('claim check: corrupted sentences from real NVDA figures', () => {
  let fy = '';
  let prev = '';
  beforeAll(async () => {
    const bundle = await bundleFor(createBundledProvider(DATA_DIR), 'NVDA');
    const findings = ANALYSTS.map((a) => analyzeBundle(a, bundle));
    figures = findings.flatMap((f) => f.figures);
    ref = buildClaimReference(figures);
    rating = decideVerdict(findings).rating;
    const years = figures
      .filter((f) => f.name === 'revenue' && /^FY\d{4}$/.test(f.period ?? ''))
      .map((f) => f.period ?? '')
      .sort();
    fy = years.at(-1) ?? '';
    prev = years.at(-2) ?? '';
  });

  /** [what is wrong, the corrupted sentence, the problem expected, the correct sentence, the section] */
  const cases: () => [string, string, ClaimProblem | 'recommendation', string, SectionId?][] = () => {
    const growth = fig('revenue_growth_yoy', fy).value;
    const [up, down] = growth > 0 ? ['grew', 'declined'] : ['declined', 'grew'];
    const gmChange = fig('gross_margin', fy).value - fig('gross_margin', prev).value;
    const [narrowed, widened] = gmChange < 0 ? ['narrowed', 'widened'] : ['widened', 'narrowed'];
    const points = formatPct(Math.abs(gmChange)).replace('%', ' points');
    const billions = fig('revenue', fy).value / 1e9;
    const inWords = (name: string, period: string) => words(Math.round(fig(name, period).value));
    const billionsInWords = (period: string) => words(Math.round(fig('revenue', period).value / 1e9));
    const [same, other] = rating === 'sell' ? ['sell', 'buy'] : ['buy', 'sell'];
    return [
      [
        'another year',
        `In ${fy} revenue was ${show('revenue', prev)}.`,
        'period',
        `In ${fy} revenue was ${show('revenue', fy)}.`,
      ],
      [
        'another year, said as "last year"',
        `Last year revenue was ${show('revenue', prev)}.`,
        'period',
        `Last year revenue was ${show('revenue', fy)}.`,
      ],
      [
        'another year, no period named (the latest is meant)',
        `Net income came to ${show('net_income', prev)}.`,
        'period',
        `Net income came to ${show('net_income', fy)}.`,
      ],
      [
        'a year stated for the latest quarter',
        `In the latest quarter, revenue was ${show('revenue', fy)}.`,
        'period',
        `In the latest quarter, revenue was ${show('revenue_quarter')}.`,
      ],
      [
        'another metric with the same unit',
        `The gross margin was ${show('operating_margin', fy)} in ${fy}.`,
        'metric',
        `The gross margin was ${show('gross_margin', fy)} in ${fy}.`,
      ],
      [
        'a margin stated as growth',
        `Revenue ${down} ${show('operating_margin', fy)} year on year.`,
        'metric',
        `Revenue ${up} ${show('revenue_growth_yoy', fy)} year on year.`,
      ],
      [
        'a wrong direction',
        `Revenue ${down} ${show('revenue_growth_yoy', fy)} in ${fy}.`,
        'direction',
        `Revenue ${up} ${show('revenue_growth_yoy', fy)} in ${fy}.`,
      ],
      [
        'a wrong direction of a margin change',
        `Gross margin ${widened} by ${points} in ${fy}.`,
        'direction',
        `Gross margin ${narrowed} by ${points} in ${fy}.`,
      ],
      [
        'a rounding beyond the printed precision',
        `Revenue was $${Math.round(billions)}.0B in ${fy}.`,
        'value',
        `Revenue was $${Math.round(billions)}B in ${fy}.`,
      ],
      [
        'a price target stated as the price',
        `The shares trade at ${show('target_mean')}.`,
        'metric',
        `The shares trade at ${show('price')}.`,
      ],
      [
        'the price stated as the mean price target',
        `The mean price target is ${show('price')}.`,
        'metric',
        `The mean price target is ${show('target_mean')}.`,
      ],
      [
        'a 52-week low stated as the high',
        `The 52-week high is ${show('low_52w')}.`,
        'metric',
        `The 52-week high is ${show('high_52w')}.`,
      ],
      [
        'an amount in words of another year',
        `In ${fy} revenue was ${billionsInWords(prev)} billion dollars.`,
        'period',
        `In ${fy} revenue was ${billionsInWords(fy)} billion dollars.`,
      ],
      [
        'a percentage in words of another metric',
        `In ${fy} the gross margin was ${inWords('operating_margin', fy)} percent.`,
        'metric',
        `In ${fy} the gross margin was ${inWords('gross_margin', fy)} percent.`,
      ],
      [
        'a paraphrased recommendation against the verdict',
        `Our advice is to ${other} the stock.`,
        'recommendation',
        `Our advice is to ${same} the stock.`,
        'verdict',
      ],
      [
        'advice outside the verdict section',
        'Investors should consider taking profits here.',
        'recommendation',
        "The verdict section gives the rules' view.",
        'summary',
      ],
      [
        'another rating in other words',
        `NVDA is a ${other} at these levels.`,
        'recommendation',
        `NVDA is a ${same} at these levels.`,
        'verdict',
      ],
    ];
  };

  it('has real figures to corrupt (the rounding case needs a value that $N.0B misstates)', () => {
    const billions = fig('revenue', fy).value / 1e9;
    expect(Math.abs(Math.round(billions) - billions)).toBeGreaterThan(0.05);
    expect(prev).not.toBe('');
  });

  it('catches every corrupted sentence, with the kind of error', () => {
    const got = cases().map(([what, wrong, expected, , section]) => [what, wrong, problems(wrong, section), expected]);
    for (const [what, wrong, found, expected] of got) expect(found, `${what}: ${wrong}`).toEqual([expected]);
  });

  it('passes every sentence written correctly', () => {
    for (const [what, , , right, section] of cases()) expect(problems(right, section), `${what}: ${right}`).toEqual([]);
  });

  it("catches the issue's three FY2025 figures stated for FY2026", () => {
    const text = `In FY2026 revenue was $130.50B and the gross margin was 75.0%. Net income came to $72.88B in FY2026.`;
    const found = checkClaims(text, ref);
    expect(found.map((f) => [f.text, f.problem])).toEqual([
      ['$130.50B', 'period'],
      ['75.0%', 'period'],
      ['$72.88B', 'period'],
    ]);
    expect(found[0]?.reason).toBe('"$130.50B" is Revenue (FY2025), but the sentence is about FY2026');
  });

  it('keeps the number rule for a sentence that names no metric', () => {
    expect(problems(`It came to ${show('revenue', prev)} then.`)).toEqual([]);
    expect(problems('It came to $9,999.99 then.')).toEqual(['value']);
  });

  it('reads the base of a comparison as a value of the data, not of the clause’s metric', () => {
    const text = `The mean target of ${show('target_mean')} implies ${formatFigure(fig('implied_upside'), { signed: true })} from ${show('price')}.`;
    expect(problems(text)).toEqual([]);
  });
});
