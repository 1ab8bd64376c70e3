/**
 * Writes a company profile's `summary` from codes and figures only (GICS sector and sub-industry, SIC code,
 * headquarters, exchange, fiscal year end, market snapshot). No prose is copied from anywhere.
 */
import type { CompanyProfile } from '../shapes.js';

/**
 * Format a USD amount compactly: 5.23 trillion USD, 412.0 billion USD, 950 million USD. The unit is chosen after
 * rounding: 999.96 billion is `1.00 trillion USD`, not `1000.0 billion USD`.
 */
export function formatUsdCompact(usd: number): string {
  const units = [
    { divisor: 1e6, decimals: 0, word: 'million' },
    { divisor: 1e9, decimals: 1, word: 'billion' },
    { divisor: 1e12, decimals: 2, word: 'trillion' },
  ];
  if (Math.abs(Number(usd.toFixed(2))) < 1e6) return `${usd.toFixed(2)} USD`;
  for (const [i, unit] of units.entries()) {
    const text = (usd / unit.divisor).toFixed(unit.decimals);
    if (Math.abs(Number(text)) < 1000 || i === units.length - 1) return `${text} ${unit.word} USD`;
  }
  return `${usd.toFixed(2)} USD`;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * One or two sentences describing the company from the profile's structured fields, e.g.
 * "Nvidia (NVDA): Information Technology sector, Semiconductors sub-industry (SIC 3674, Semiconductors & Related
 * Devices); headquarters Santa Clara, California; listed on Nasdaq; fiscal year ends in January. Market value
 * 5.23 trillion USD at 214.72 USD a share, 43.8 times earnings (2026-08-22)."
 */
export function describeCompany(p: Omit<CompanyProfile, 'summary' | 'sources'>): string {
  const facts: string[] = [];
  if (p.gics) facts.push(`${p.gics.sector} sector, ${p.gics.subIndustry} sub-industry`);
  if (p.sic) {
    const sic = `SIC ${p.sic.code}${p.sic.description ? `, ${p.sic.description}` : ''}`;
    if (p.gics) facts[facts.length - 1] += ` (${sic})`;
    else facts.push(`industry ${sic}`);
  }
  if (p.headquarters) facts.push(`headquarters ${p.headquarters}`);
  if (p.exchange) facts.push(`listed on ${p.exchange}`);
  if (p.fiscalYearEnd) {
    const month = MONTH_NAMES[Number(p.fiscalYearEnd.slice(0, 2)) - 1];
    if (month) facts.push(`fiscal year ends in ${month}`);
  }
  if (p.founded) facts.push(`founded ${p.founded}`);
  if (p.sp500Added) facts.push(`in the S&P 500 since ${p.sp500Added}`);
  let text = `${p.name} (${p.ticker})${facts.length > 0 ? `: ${facts.join('; ')}.` : '.'}`;
  const s = p.snapshot;
  if (s && (s.marketCap !== undefined || s.price !== undefined)) {
    let line = s.marketCap !== undefined ? `Market value ${formatUsdCompact(s.marketCap)}` : '';
    if (s.price !== undefined) {
      line += line ? ` at ${s.price.toFixed(2)} USD a share` : `Share price ${s.price.toFixed(2)} USD`;
    }
    if (s.pe !== undefined && s.pe > 0) line += `, ${s.pe.toFixed(1)} times earnings`;
    text += ` ${line} (${s.asOf}).`;
  }
  return text;
}
