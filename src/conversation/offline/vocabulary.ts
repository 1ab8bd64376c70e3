/**
 * The fixed vocabulary of the offline answerer: the words people use for the figures the analysts compute
 * (`src/research/analysts/`), mapped to the figures' machine names. Longer phrases are matched first, so "free cash
 * flow margin" is not read as "free cash flow". Pure data.
 */

/** One way of naming figures: the phrase (lower case, words) and the figure names it asks for, in answer order. */
export interface Term {
  phrase: string;
  figures: readonly string[];
}

/** Every phrase the offline answerer knows, any order (matched longest first). */
export const TERMS: readonly Term[] = [
  { phrase: 'gross margin', figures: ['gross_margin'] },
  { phrase: 'operating margin', figures: ['operating_margin'] },
  { phrase: 'net margin', figures: ['net_margin'] },
  { phrase: 'profit margin', figures: ['net_margin'] },
  { phrase: 'margins', figures: ['gross_margin', 'operating_margin', 'net_margin'] },
  { phrase: 'margin', figures: ['gross_margin', 'operating_margin', 'net_margin'] },
  { phrase: 'free cash flow margin', figures: ['fcf_margin'] },
  { phrase: 'fcf margin', figures: ['fcf_margin'] },
  { phrase: 'free cash flow', figures: ['free_cash_flow'] },
  { phrase: 'fcf', figures: ['free_cash_flow'] },
  { phrase: 'cash flow', figures: ['free_cash_flow'] },
  { phrase: 'quarterly revenue growth', figures: ['revenue_quarter_growth_yoy'] },
  { phrase: 'quarterly revenue', figures: ['revenue_quarter', 'revenue_quarter_growth_yoy'] },
  { phrase: 'latest quarter', figures: ['revenue_quarter', 'revenue_quarter_growth_yoy'] },
  { phrase: 'revenue growth', figures: ['revenue_growth_yoy'] },
  { phrase: 'sales growth', figures: ['revenue_growth_yoy'] },
  { phrase: 'growth', figures: ['revenue_growth_yoy', 'revenue_cagr'] },
  { phrase: 'cagr', figures: ['revenue_cagr'] },
  { phrase: 'revenue', figures: ['revenue'] },
  { phrase: 'revenues', figures: ['revenue'] },
  { phrase: 'sales', figures: ['revenue'] },
  { phrase: 'top line', figures: ['revenue'] },
  { phrase: 'net income', figures: ['net_income'] },
  { phrase: 'profit', figures: ['net_income'] },
  { phrase: 'earnings', figures: ['net_income', 'eps_diluted'] },
  { phrase: 'trailing eps', figures: ['eps_ttm'] },
  { phrase: 'eps ttm', figures: ['eps_ttm'] },
  { phrase: 'ttm eps', figures: ['eps_ttm'] },
  { phrase: 'eps', figures: ['eps_diluted', 'eps_ttm'] },
  { phrase: 'earnings per share', figures: ['eps_diluted', 'eps_ttm'] },
  { phrase: 'p/e', figures: ['pe_ratio'] },
  { phrase: 'pe ratio', figures: ['pe_ratio'] },
  { phrase: 'pe', figures: ['pe_ratio'] },
  { phrase: 'price to earnings', figures: ['pe_ratio'] },
  { phrase: 'price earnings', figures: ['pe_ratio'] },
  { phrase: 'multiple', figures: ['pe_ratio', 'ps_ratio'] },
  { phrase: 'valuation', figures: ['pe_ratio', 'ps_ratio', 'market_cap'] },
  { phrase: 'p/s', figures: ['ps_ratio'] },
  { phrase: 'price to sales', figures: ['ps_ratio'] },
  { phrase: 'market cap', figures: ['market_cap'] },
  { phrase: 'market capitalisation', figures: ['market_cap'] },
  { phrase: 'market capitalization', figures: ['market_cap'] },
  { phrase: 'price target', figures: ['target_mean', 'target_high', 'target_low', 'implied_upside'] },
  { phrase: 'target price', figures: ['target_mean', 'target_high', 'target_low', 'implied_upside'] },
  { phrase: 'targets', figures: ['target_mean', 'target_high', 'target_low', 'implied_upside'] },
  { phrase: 'target', figures: ['target_mean', 'target_high', 'target_low', 'implied_upside'] },
  { phrase: 'upside', figures: ['implied_upside', 'target_mean'] },
  { phrase: 'consensus', figures: ['target_mean', 'implied_upside', 'analyst_count'] },
  { phrase: 'analysts', figures: ['analyst_count', 'target_mean', 'implied_upside'] },
  { phrase: 'analyst', figures: ['analyst_count', 'target_mean', 'implied_upside'] },
  { phrase: 'share price', figures: ['last_close'] },
  { phrase: 'stock price', figures: ['last_close'] },
  { phrase: 'last close', figures: ['last_close'] },
  { phrase: 'price', figures: ['last_close'] },
  { phrase: 'trading at', figures: ['last_close'] },
  { phrase: 'rsi', figures: ['rsi14'] },
  { phrase: 'relative strength', figures: ['rsi14'] },
  { phrase: 'macd', figures: ['macd_histogram'] },
  { phrase: 'moving averages', figures: ['sma50', 'sma200', 'price_vs_sma200'] },
  { phrase: 'moving average', figures: ['sma50', 'sma200', 'price_vs_sma200'] },
  { phrase: 'sma', figures: ['sma20', 'sma50', 'sma200'] },
  { phrase: '50-day', figures: ['sma50', 'price_vs_sma50'] },
  { phrase: '200-day', figures: ['sma200', 'price_vs_sma200'] },
  { phrase: '52-week high', figures: ['high_52w', 'drawdown_from_high'] },
  { phrase: '52 week high', figures: ['high_52w', 'drawdown_from_high'] },
  { phrase: '52-week low', figures: ['low_52w'] },
  { phrase: '52 week low', figures: ['low_52w'] },
  { phrase: '52-week', figures: ['high_52w', 'low_52w'] },
  { phrase: 'returns', figures: ['return_1m', 'return_3m', 'return_1y'] },
  { phrase: 'return', figures: ['return_1m', 'return_3m', 'return_1y'] },
  { phrase: 'performance', figures: ['return_1m', 'return_3m', 'return_1y'] },
  { phrase: 'momentum', figures: ['rsi14', 'macd_histogram', 'return_3m'] },
  { phrase: 'volatility', figures: ['volatility_30d', 'volatility_90d'] },
  { phrase: 'drawdown', figures: ['drawdown_from_high', 'max_drawdown_1y'] },
  { phrase: 'debt to equity', figures: ['debt_to_equity'] },
  { phrase: 'debt/equity', figures: ['debt_to_equity'] },
  { phrase: 'leverage', figures: ['debt_to_equity', 'total_debt'] },
  { phrase: 'debt', figures: ['total_debt', 'net_cash', 'net_debt', 'debt_to_equity'] },
  { phrase: 'net cash', figures: ['net_cash', 'net_debt'] },
  { phrase: 'cash', figures: ['cash_and_investments', 'net_cash', 'net_debt'] },
  { phrase: 'equity', figures: ['shareholders_equity'] },
  { phrase: 'insider selling', figures: ['insider_sell_value_12m', 'insider_sell_count_12m'] },
  { phrase: 'insider', figures: ['insider_sell_value_12m', 'insider_buy_value_12m', 'insider_sell_count_12m'] },
  { phrase: 'insiders', figures: ['insider_sell_value_12m', 'insider_buy_value_12m', 'insider_sell_count_12m'] },
  { phrase: 'dividend', figures: ['dividend_yield'] },
  { phrase: 'yield', figures: ['dividend_yield'] },
];

/**
 * Abbreviations in the vocabulary that are also ticker symbols (RSI, PE, EPS …): in a question they name a figure,
 * not a company, unless written with `$`.
 */
export const FIGURE_WORDS: ReadonlySet<string> = new Set([
  ...TERMS.flatMap((t) => t.phrase.split(/\s+/)).filter((w) => /^[a-z]{1,7}$/.test(w)),
  'ttm',
  'yoy',
  'gaap',
  'fy',
  'q',
  'ceo',
  'cfo',
  'ipo',
  'etf',
  'usd',
  'ok',
]);

/** Words that ask for a comparison with another ticker. */
export const COMPARE_WORDS =
  /\b(compare[ds]?|comparison|versus|vs\.?|against|relative to|stack up|side by side|peer)\b/i;

/** Words that ask what changed since the previous report (not "since last year": that is a figure's trend). */
export const CHANGE_WORDS =
  /\b(what('?s| has| have)? changed|changes since|new since|since (the |my |our )?(last|previous|prior) (report|run|time|one))\b/i;
