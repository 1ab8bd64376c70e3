/**
 * Claude's answer for one analyst: a JSON object with a signal, a confidence and points, validated with zod and
 * merged with the deterministic findings. The figures, the signal and the confidence stay the deterministic ones
 * (the verdict is decided from them, so text in the data can never move it); Claude contributes the points, each
 * checked by the number check.
 */
import { z } from 'zod';
import type { Findings, Signal } from '../../research/types.js';

/** The JSON object Claude must answer with. */
export const analystAnswerSchema = z.object({
  signal: z.enum(['bullish', 'neutral', 'bearish']),
  confidence: z.number().min(0).max(1),
  points: z.array(z.string().trim().min(1).max(600)).min(1).max(8),
});

/** A validated answer. */
export type AnalystAnswer = z.infer<typeof analystAnswerSchema>;

/**
 * Parse Claude's text as an {@link AnalystAnswer}: the first `{…}` object in it (code fences and chatter around it are
 * tolerated).
 * @returns the answer, or a plain reason why it is not usable.
 */
export function parseAnalystAnswer(text: string): { ok: true; answer: AnalystAnswer } | { ok: false; reason: string } {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return { ok: false, reason: 'the answer held no JSON object' };
  let json: unknown;
  try {
    json = JSON.parse(text.slice(start, end + 1));
  } catch {
    return { ok: false, reason: 'the answer was not valid JSON' };
  }
  const parsed = analystAnswerSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).join('; '),
    };
  }
  return { ok: true, answer: parsed.data };
}

/** The merged findings and whether Claude's own reading differed from the rules. */
export interface MergedFindings {
  findings: Findings;
  /** Claude's signal when it differed from the deterministic one (kept for stats and logs, not used). */
  disagreement?: Signal;
}

/** Deterministic figures, signal and confidence; Claude's points. */
export function mergeFindings(deterministic: Findings, answer: AnalystAnswer): MergedFindings {
  const findings: Findings = { ...deterministic, points: answer.points };
  return answer.signal === deterministic.signal ? { findings } : { findings, disagreement: answer.signal };
}

/** The deterministic findings with a note saying why Claude's were not used. */
export function fallbackFindings(deterministic: Findings, note: string): Findings {
  const degraded = deterministic.degraded ? `${deterministic.degraded} ${note}` : note;
  return { ...deterministic, degraded };
}
