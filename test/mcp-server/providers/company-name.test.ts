import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readableCompanyName } from '../../../src/mcp-server/providers/company-name.js';

describe('readableCompanyName', () => {
  it('moves a trailing "(The)" to the front', () => {
    expect(readableCompanyName('Coca-Cola Company (The)')).toBe('The Coca-Cola Company');
    expect(readableCompanyName('Home Depot (The)')).toBe('The Home Depot');
    expect(readableCompanyName(' Estée Lauder Companies (The) ')).toBe('The Estée Lauder Companies');
    expect(readableCompanyName('Lilly (Eli)')).toBe('Eli Lilly');
  });

  it('leaves other names alone', () => {
    expect(readableCompanyName('Alphabet Inc. (Class A)')).toBe('Alphabet Inc. (Class A)');
    expect(readableCompanyName('Theravance')).toBe('Theravance');
    expect(readableCompanyName('Nvidia')).toBe('Nvidia');
  });

  it('the bundled data set carries no "(The)" name', () => {
    const file = path.resolve(import.meta.dirname, '../../../data/profiles.json.gz');
    const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
    expect(text).toContain('"name":"The Coca-Cola Company"');
    expect(text).not.toMatch(/\((The|Eli)\)"/);
    expect(text).toContain('"name":"Eli Lilly"');
    const index = fs.readFileSync(path.resolve(import.meta.dirname, '../../../data/index.json'), 'utf8');
    expect(index).not.toMatch(/\(The\)"/);
  });
});
