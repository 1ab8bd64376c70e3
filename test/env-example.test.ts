/**
 * `.env.example` is what a new user copies: its commented "Defaults shown" provider orders must be the defaults.
 * Regression: it showed `DATA_PROVIDERS_CONSENSUS=bundled` and `DATA_PROVIDERS_NEWS=sec-edgar,bundled`, so a user who
 * uncommented them as they read turned Finnhub off while setting FINNHUB_API_KEY a few lines below.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config.js';
import { DATA_KINDS, PROVIDERS_BY_KIND } from '../src/mcp-server/providers/kinds.js';

describe('.env.example', () => {
  it('shows each data kind with its default provider order', () => {
    const text = readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8');
    const shown = Object.fromEntries(
      [...text.matchAll(/^# DATA_PROVIDERS_([A-Z]+)=(.*)$/gm)].map((m) => [String(m[1]).toLowerCase(), m[2]]),
    );
    expect(shown).toEqual(Object.fromEntries(DATA_KINDS.map((k) => [k, PROVIDERS_BY_KIND[k].join(',')])));
  });
});
