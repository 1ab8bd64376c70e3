/** Tickers the benchmarks use. */

/** Twenty tickers of the bundled data set for the concurrent bursts. */
export const BURST_TICKERS = [
  'NVDA',
  'AAPL',
  'MSFT',
  'GOOGL',
  'AMZN',
  'META',
  'TSLA',
  'AMD',
  'AVGO',
  'ADBE',
  'NFLX',
  'COST',
  'PEP',
  'INTC',
  'QCOM',
  'TXN',
  'AMAT',
  'INTU',
  'CSCO',
  'ASML',
] as const;
