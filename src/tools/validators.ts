/**
 * Validators: the cheap check that a cached answer is still current. An answer may say what it rests on
 * (`provenance.validator`: live SEC statements, profiles and events name the accession of the newest filing they were
 * made from, and the check tool that names the newest one now, `get_latest_filings`). The gateway keeps such an
 * answer for as long as the check names the same accession — statements are valid until a newer filing appears —
 * and the check's own answer is cached briefly (`ttl.ts`), so most reads cost a cache read and a check costs one
 * small upstream request (SEC submissions).
 */
import type { ToolRequest } from './types.js';

/** What an answer rests on (the shape of `Provenance.validator` in `src/mcp-server/shapes.ts`). */
export interface Validator {
  /** The check tool, on the answer's own server. */
  tool: string;
  /** The field of the check's answer naming the filing it rests on (`report` or `event`). */
  field: string;
  /** That filing's accession when the answer was made. */
  accession: string;
}

/** The validator `data` states in its provenance, if it states a well-formed one. */
export function validatorOf(data: unknown): Validator | undefined {
  const v = (data as { provenance?: { validator?: Partial<Validator> } } | null | undefined)?.provenance?.validator;
  if (!v || typeof v.tool !== 'string' || typeof v.field !== 'string' || typeof v.accession !== 'string') return;
  return { tool: v.tool, field: v.field, accession: v.accession };
}

/** The check of `request`'s answer: the validator's tool on the same server, for the same ticker; none without one. */
export function checkRequest(request: ToolRequest, validator: Validator): ToolRequest | undefined {
  const ticker = request.args.ticker;
  if (typeof ticker !== 'string') return undefined;
  return { server: request.server, tool: validator.tool, args: { ticker } };
}

/** Whether the check's answer names the same filing the answer rests on. */
export function stillCurrent(validator: Validator, check: unknown): boolean {
  const named = (check as Record<string, { accession?: unknown } | undefined> | null | undefined)?.[validator.field];
  return named?.accession === validator.accession;
}
