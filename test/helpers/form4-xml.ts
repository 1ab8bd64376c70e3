/**
 * Writes SEC Form 4 ownership XML (`ownershipDocument`, schema X0306) for the SEC stand-in, from the recorded Form 4
 * rows in `test/fixtures/live/sec/form4-rows.json.gz` (real transactions: insider, title, code, shares, price, shares
 * after, per accession). The element layout is SEC's, as in a filed document (see
 * `test/fixtures/live/sec/form4-374water.xml`): issuer, reportingOwner with its relationship, one
 * `nonDerivativeTransaction` per row with `transactionCoding`, `transactionAmounts` and `postTransactionAmounts`.
 */

/** One recorded row: [transactionDate, insider, title as filed, code, shares, price, sharesAfter]. */
export type Form4Row = [string, string, string, string, number, number | null, number | null];

/** The issuer of a written Form 4. */
export interface Form4Issuer {
  cik: string;
  name: string;
  ticker: string;
}

const DIRECTOR_TITLES = new Set(['Director', '董事', '独立董事', '獨立董事']);

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `<name><value>v</value></name>`, or `<name><footnoteId id="F1"/></name>` when `v` is null. */
function valued(name: string, v: string | number | null): string {
  return v === null
    ? `<${name}><footnoteId id="F1"/></${name}>`
    : `<${name}>\n<value>${esc(String(v))}</value>\n</${name}>`;
}

/** Form 4 XML for `rows` (all of one filing, one reporting owner: the first row's). */
export function form4Xml(issuer: Form4Issuer, ownerCik: string, rows: readonly Form4Row[], documentType = '4'): string {
  const first = rows[0];
  if (!first) throw new Error('a Form 4 needs at least one row');
  const [, name, title] = first;
  const director = DIRECTOR_TITLES.has(title.trim());
  const transactions = rows.map(([date, , , code, shares, price, after]) =>
    [
      '<nonDerivativeTransaction>',
      valued('securityTitle', 'Common Stock'),
      valued('transactionDate', date),
      '<transactionCoding>',
      `<transactionFormType>${documentType === '4/A' ? '4' : documentType}</transactionFormType>`,
      `<transactionCode>${esc(code)}</transactionCode>`,
      '<equitySwapInvolved>0</equitySwapInvolved>',
      '</transactionCoding>',
      '<transactionAmounts>',
      valued('transactionShares', shares),
      valued('transactionPricePerShare', price),
      valued('transactionAcquiredDisposedCode', code === 'P' || code === 'A' || code === 'M' ? 'A' : 'D'),
      '</transactionAmounts>',
      '<postTransactionAmounts>',
      valued('sharesOwnedFollowingTransaction', after),
      '</postTransactionAmounts>',
      '<ownershipNature>',
      valued('directOrIndirectOwnership', 'D'),
      '</ownershipNature>',
      '</nonDerivativeTransaction>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0"?>',
    '<ownershipDocument>',
    '<schemaVersion>X0508</schemaVersion>',
    `<documentType>${documentType}</documentType>`,
    `<periodOfReport>${first[0]}</periodOfReport>`,
    '<notSubjectToSection16>0</notSubjectToSection16>',
    '<issuer>',
    `<issuerCik>${issuer.cik}</issuerCik>`,
    `<issuerName>${esc(issuer.name)}</issuerName>`,
    `<issuerTradingSymbol>${esc(issuer.ticker)}</issuerTradingSymbol>`,
    '</issuer>',
    '<reportingOwner>',
    '<reportingOwnerId>',
    `<rptOwnerCik>${ownerCik}</rptOwnerCik>`,
    `<rptOwnerName>${esc(name)}</rptOwnerName>`,
    '</reportingOwnerId>',
    '<reportingOwnerRelationship>',
    `<isDirector>${director ? 1 : 0}</isDirector>`,
    `<isOfficer>${director ? 0 : 1}</isOfficer>`,
    '<isTenPercentOwner>0</isTenPercentOwner>',
    '<isOther>0</isOther>',
    director ? '' : `<officerTitle>${esc(title)}</officerTitle>`,
    '</reportingOwnerRelationship>',
    '</reportingOwner>',
    '<aff10b5One>0</aff10b5One>',
    '<nonDerivativeTable>',
    ...transactions,
    '</nonDerivativeTable>',
    '<footnotes>',
    '<footnote id="F1">Not reported in this filing.</footnote>',
    '</footnotes>',
    '<ownerSignature>',
    `<signatureName>${esc(name)}</signatureName>`,
    `<signatureDate>${first[0]}</signatureDate>`,
    '</ownerSignature>',
    '</ownershipDocument>',
  ].join('\n');
}
