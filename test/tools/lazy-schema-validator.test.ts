/**
 * The client's output-schema checks are not compiled inside tools/list: nothing is compiled by `getValidator`; each
 * schema is compiled once, at its first check or in the background afterwards, whichever comes first; and the checks
 * say what ajv says.
 */
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { describe, expect, it } from 'vitest';
import { compileOnFirstUse } from '../../src/tools/lazy-schema-validator.js';

const SCHEMA: JsonSchemaType = {
  type: 'object',
  properties: { ticker: { type: 'string' }, close: { type: 'number' } },
  required: ['ticker', 'close'],
  additionalProperties: false,
};

/** The SDK's ajv provider, counting the schemas it compiles. */
function counting(): { provider: jsonSchemaValidator; compiled: JsonSchemaType[] } {
  const inner = new AjvJsonSchemaValidator();
  const compiled: JsonSchemaType[] = [];
  return {
    compiled,
    provider: {
      getValidator<T>(schema: JsonSchemaType) {
        compiled.push(schema);
        return inner.getValidator<T>(schema);
      },
    },
  };
}

/** Let `turns` turns of the event loop pass (the background compiles one schema a turn). */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('compileOnFirstUse', () => {
  it('compiles nothing when the validators are handed out, and each schema once, at its first check', () => {
    const { provider, compiled } = counting();
    const lazy = compileOnFirstUse(provider);
    const profile = lazy.getValidator(SCHEMA);
    const other = lazy.getValidator({ type: 'object' });
    expect(compiled).toEqual([]);
    expect(profile({ ticker: 'NVDA', close: 182.1 })).toEqual({
      valid: true,
      data: { ticker: 'NVDA', close: 182.1 },
      errorMessage: undefined,
    });
    expect(profile({ ticker: 'AAPL', close: 230 }).valid).toBe(true);
    expect(compiled).toEqual([SCHEMA]);
    expect(other({}).valid).toBe(true);
    expect(compiled).toHaveLength(2);
  });

  it('compiles the rest in the background, one a turn, after the list is handed back, and none twice', async () => {
    const { provider, compiled } = counting();
    const lazy = compileOnFirstUse(provider);
    const schemas: JsonSchemaType[] = [SCHEMA, { type: 'object' }, { type: 'array' }];
    const validators = schemas.map((schema) => lazy.getValidator(schema));
    expect(validators[1]?.({}).valid).toBe(true); // checked before the background reached it
    expect(compiled).toEqual([schemas[1]]);
    await turns(1);
    expect(compiled).toEqual([schemas[1], SCHEMA]);
    await turns(3);
    expect(compiled).toEqual([schemas[1], SCHEMA, schemas[2]]);
    expect(validators.map((check, i) => check(i === 2 ? [] : {}).valid)).toEqual([false, true, true]);
    expect(compiled).toHaveLength(3);
  });

  it('rejects what the schema rejects, with ajv’s message', () => {
    const check = compileOnFirstUse(new AjvJsonSchemaValidator()).getValidator(SCHEMA);
    const wrongType = check({ ticker: 'NVDA', close: 'high' });
    expect(wrongType.valid).toBe(false);
    expect(wrongType.errorMessage).toMatch(/close.*must be number/);
    const extra = check({ ticker: 'NVDA', close: 1, note: 'x' });
    expect(extra).toMatchObject({ valid: false, data: undefined });
    expect(extra.errorMessage).toMatch(/additional properties/);
  });
});
