/**
 * The research pipeline's public API: the service front ends start runs with, its event and result types, the
 * prefetch plan, and the ETA source contract the metrics recorder implements.
 */

export type { EtaSource } from './eta.js';
export { createResearchService, newRunId, type ResearchServiceDeps } from './pipeline.js';
export { PART_LABELS, type PlannedRequest, planRequests, TICKERDESK_SERVER } from './plan.js';
export * from './types.js';
