/**
 * What our data tools share in their listing: annotations (every tool only reads, and asking twice gives the same
 * answer) and the sentence of each description that says which source may answer.
 */
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { type DataKindName, PROVIDERS_BY_KIND } from '../providers/kinds.js';
import type { ToolDeps } from './tool-kit.js';

/**
 * Annotations for a read-only data tool. `openWorldHint` is false for the bundled data set (a closed, local set)
 * and true for any other provider (live sources on the network).
 */
export function readOnlyAnnotations(title: string, deps: ToolDeps): ToolAnnotations {
  return {
    title,
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: deps.provider.id !== 'bundled',
  };
}

/**
 * The sentence of a tool's description naming the sources that may answer for `kind`, from the default provider
 * order (`PROVIDERS_BY_KIND`), e.g. "`provenance` names the source that answered (sec-edgar, live when configured,
 * else bundled, the offline snapshot) and its as-of date."
 */
export function provenanceNote(kind: DataKindName): string {
  const live = PROVIDERS_BY_KIND[kind].filter((id) => id !== 'bundled');
  const sources = live.length > 0 ? `${live.join(' or ')}, live when configured, else bundled` : 'bundled';
  return `\`provenance\` names the source that answered (${sources}, the offline snapshot) and its as-of date.`;
}
