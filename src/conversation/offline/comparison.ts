/**
 * "Compare with AMD": the report's ticker and others side by side in a small table (revenue growth, margins, P/E,
 * returns, consensus upside). The report's own figures come from the thread; another ticker's data is fetched
 * through the gateway (only the parts the table needs, cached calls cost nothing) and read by the same analysts as a
 * run, so both columns are computed the same way.
 */
import { errorMessage } from '../../errors.js';
import { tableCell } from '../../report/markdown.js';
import { analyzeBundle } from '../../research/analysts/index.js';
import { BUNDLE_KEYS } from '../../research/plan.js';
import type { BundleKey, Figure } from '../../research/types.js';
import type { AnswerToolCall, FigureUsed, ThreadContext } from '../types.js';
import type { Composed } from './figures.js';
import { figuresNamed, sourceWords, valueWords } from './words.js';

/** The bundle parts a comparison needs: all but news and insider trades (a part added to the bundle is asked too). */
export const COMPARISON_PARTS: readonly BundleKey[] = BUNDLE_KEYS.filter((key) => key !== 'news' && key !== 'insider');

/** Rows of the table: label and figure name. */
const ROWS: readonly { label: string; name: string }[] = [
  { label: 'Revenue (last FY)', name: 'revenue' },
  { label: 'Revenue growth (YoY)', name: 'revenue_growth_yoy' },
  { label: 'Gross margin', name: 'gross_margin' },
  { label: 'Operating margin', name: 'operating_margin' },
  { label: 'Net margin', name: 'net_margin' },
  { label: 'P/E', name: 'pe_ratio' },
  { label: '3M return', name: 'return_3m' },
  { label: '1Y return', name: 'return_1y' },
  { label: 'Upside to mean target', name: 'implied_upside' },
];

/** Most tickers compared with the report's in one answer. */
export const MAX_OTHERS = 3;

interface Column {
  ticker: string;
  figures: Figure[];
}

/** Side by side: the report's ticker and `others`; a ticker no source covers is said in plain words. */
export async function answerComparison(
  context: ThreadContext,
  others: readonly string[],
  unlisted: readonly string[],
  signal: AbortSignal,
): Promise<Composed & { toolCalls: AnswerToolCall[] }> {
  const { record } = context;
  const asked = [...others, ...unlisted].slice(0, MAX_OTHERS);
  const toolCalls: AnswerToolCall[] = [];
  const refusals: string[] = [];
  const fetched = await Promise.all(
    asked.map(async (ticker): Promise<Column | undefined> => {
      try {
        const got = await context.data.bundle(ticker, { parts: COMPARISON_PARTS, signal });
        toolCalls.push(...got.toolCalls);
        const figures = (['fundamentals', 'technicals', 'news'] as const).flatMap(
          (a) => analyzeBundle(a, got.bundle).figures,
        );
        return { ticker, figures };
      } catch (err) {
        if (signal.aborted) throw err;
        refusals.push(errorMessage(err));
        return undefined;
      }
    }),
  );
  const columns: Column[] = [
    { ticker: record.ticker, figures: record.findings.flatMap((f) => f.figures) },
    ...fetched.filter((c): c is Column => c !== undefined),
  ];
  if (columns.length < 2) return { text: refusals.join('\n'), figures: [], toolCalls };
  const used: FigureUsed[] = [];
  const header = `| | ${columns.map((c) => `**${c.ticker}**`).join(' | ')} |`;
  const rule = `|---|${columns.map(() => '---:').join('|')}|`;
  const rows = ROWS.map(({ label, name }) => {
    const cells = columns.map((c) => {
      const f = figuresNamed(c.figures, name)[0];
      if (!f) return 'n/a';
      used.push({ ticker: c.ticker, figure: f });
      return valueWords(f);
    });
    return `| ${label} | ${cells.map(tableCell).join(' | ')} |`;
  });
  const periods = columns.map((c) => {
    const fy = figuresNamed(c.figures, 'revenue')[0]?.period;
    const close = figuresNamed(c.figures, 'return_1y')[0];
    const statements = figuresNamed(c.figures, 'revenue')[0];
    const where = [
      statements ? `statements ${sourceWords(statements)}` : undefined,
      close ? `prices to ${close.period ?? close.source.asOf}` : undefined,
    ]
      .filter(Boolean)
      .join('; ');
    return `${c.ticker}: ${fy ?? 'no fiscal year'}${where ? ` (${where})` : ''}`;
  });
  const text = [
    `**${columns.map((c) => c.ticker).join(' vs ')}**`,
    '',
    header,
    rule,
    ...rows,
    '',
    `_Fiscal years and sources — ${periods.join('; ')}._`,
    ...refusals,
  ].join('\n');
  return { text, figures: used, toolCalls };
}
