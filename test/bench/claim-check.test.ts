import { describe, expect, it } from 'vitest';
import { measureClaimCheck } from '../../bench/claim-check.js';
import { createResearchService } from '../../src/research/index.js';
import { createTemplateWriter } from '../../src/writers/template/index.js';
import { nvdaBundle } from '../helpers/bundle-fixtures.js';
import { bundleGateway } from '../helpers/bundle-gateway.js';

describe('bench: the claim check on a whole report', () => {
  it('checks every section of a real run and finds nothing in the template writer’s text', async () => {
    const research = createResearchService({
      gateway: bundleGateway(nvdaBundle()),
      createWriter: () => createTemplateWriter(),
    });
    const result = await research.start('NVDA', { requester: { via: 'test' } }).result;
    const cost = measureClaimCheck(result, 2);
    expect(cost).toMatchObject({ ticker: 'NVDA', findings: 0 });
    expect(cost.chars).toBe(result.sections.reduce((n, s) => n + s.markdown.length, 0));
    expect(cost.numbers).toBeGreaterThan(50);
    expect(Number.isFinite(cost.checkMedianMs) && Number.isFinite(cost.buildMedianMs)).toBe(true);
  });
});
