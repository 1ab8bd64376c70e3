/**
 * The reader of one Form 4 ownership XML document (the schema is described in `./form4.ts`), with fast-xml-parser.
 * Loaded on the first Form 4 read (`SecClient.form4`), not when the data server starts. Pure functions.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Form4Document, Form4Owner, Form4Transaction } from './form4.js';

const ARRAYS = new Set(['reportingOwner', 'nonDerivativeTransaction']);

const parser = new XMLParser({
  ignoreAttributes: true,
  // Values stay strings (CIKs keep their zeros); numbers are read below.
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => ARRAYS.has(name),
});

type Node = Record<string, unknown> | string | undefined;

/** The text of `node` or of its `<value>` child (`<transactionShares><value>10</value><footnoteId/></…>`). */
function text(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node !== 'object') return String(node).trim();
  const value = (node as Record<string, unknown>).value;
  return value === undefined || typeof value === 'object' ? '' : String(value).trim();
}

function child(node: Node, name: string): Node {
  return node && typeof node === 'object' ? (node[name] as Node) : undefined;
}

/** A number, or null when blank or unreadable. */
function num(s: string): number | null {
  if (s === '') return null;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

/** `1` / `true` (SEC writes both). */
function flag(node: unknown): boolean {
  return /^(1|true)$/i.test(text(node));
}

function ownerOf(node: Node): Form4Owner {
  const id = child(node, 'reportingOwnerId');
  const rel = child(node, 'reportingOwnerRelationship');
  const officerTitle = flag(child(rel, 'isOfficer')) ? text(child(rel, 'officerTitle')) : '';
  const title =
    officerTitle ||
    (flag(child(rel, 'isDirector')) ? 'Director' : '') ||
    (flag(child(rel, 'isTenPercentOwner')) ? '10% Owner' : '') ||
    text(child(rel, 'otherText')) ||
    text(child(rel, 'officerTitle'));
  const owner: Form4Owner = { name: text(child(id, 'rptOwnerName')), title };
  const cik = text(child(id, 'rptOwnerCik'));
  if (cik) owner.cik = cik;
  return owner;
}

function transactionOf(node: Node): Form4Transaction | undefined {
  const amounts = child(node, 'transactionAmounts');
  const code = text(child(child(node, 'transactionCoding'), 'transactionCode'));
  const shares = num(text(child(amounts, 'transactionShares')));
  const date = text(child(node, 'transactionDate')).slice(0, 10);
  if (!code || shares === null || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  return {
    securityTitle: text(child(node, 'securityTitle')),
    date,
    code,
    shares: Math.abs(shares),
    price: num(text(child(amounts, 'transactionPricePerShare'))),
    acquiredDisposed: text(child(amounts, 'transactionAcquiredDisposedCode')),
    sharesAfter: num(text(child(child(node, 'postTransactionAmounts'), 'sharesOwnedFollowingTransaction'))),
  };
}

/**
 * Read one Form 4 ownership XML document.
 * @throws Error when the text is not well-formed XML or not an `ownershipDocument` of type 4 or 4/A (the message says
 *   which).
 */
export function parseForm4(xml: string): Form4Document {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML (${valid.err.msg}, line ${valid.err.line})`);
  const doc = (parser.parse(xml) as Record<string, unknown>).ownershipDocument as Node;
  if (!doc || typeof doc !== 'object') throw new Error('not a Form 4 ownership document (no <ownershipDocument>)');
  const documentType = text(doc.documentType);
  if (documentType !== '4' && documentType !== '4/A') {
    throw new Error(`an ownership document of type ${documentType || 'none'}, not Form 4`);
  }
  const issuerNode = child(doc, 'issuer');
  const issuer: Form4Document['issuer'] = {};
  const cik = text(child(issuerNode, 'issuerCik'));
  const name = text(child(issuerNode, 'issuerName'));
  const ticker = text(child(issuerNode, 'issuerTradingSymbol'));
  if (cik) issuer.cik = cik;
  if (name) issuer.name = name;
  if (ticker) issuer.ticker = ticker;
  const owners = ((doc.reportingOwner as Node[] | undefined) ?? []).map(ownerOf).filter((o) => o.name);
  const rows = (child(child(doc, 'nonDerivativeTable'), 'nonDerivativeTransaction') ?? []) as unknown as Node[];
  const transactions = rows.map(transactionOf).filter((t): t is Form4Transaction => t !== undefined);
  return { documentType, issuer, owners, transactions };
}
