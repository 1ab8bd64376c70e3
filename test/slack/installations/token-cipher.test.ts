/**
 * The AES-256-GCM sealing of installations: what is sealed opens with the same key and context only; a changed
 * byte, another record's context or another key is refused, never answered with other text.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenCipher, TokenDecryptionError } from '../../../src/slack/installations/token-cipher.js';

const TOKEN = 'xoxb-1111-2222-abcdefghijklmnop';

describe('TokenCipher', () => {
  it('opens what it sealed, and the sealed text does not contain the token', () => {
    const cipher = new TokenCipher(randomBytes(32));
    const sealed = cipher.seal(TOKEN, 'team:T0AAA');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealed).not.toContain(TOKEN);
    expect(sealed).not.toContain(Buffer.from(TOKEN).toString('base64url'));
    expect(cipher.open(sealed, 'team:T0AAA')).toBe(TOKEN);
  });

  it('seals the same text differently each time (a fresh IV)', () => {
    const cipher = new TokenCipher(randomBytes(32));
    const a = cipher.seal(TOKEN, 'team:T0AAA');
    const b = cipher.seal(TOKEN, 'team:T0AAA');
    expect(a).not.toBe(b);
    expect([cipher.open(a, 'team:T0AAA'), cipher.open(b, 'team:T0AAA')]).toEqual([TOKEN, TOKEN]);
  });

  it('refuses another record’s context, another key, a changed byte and a value of no known format', () => {
    const key = randomBytes(32);
    const cipher = new TokenCipher(key);
    const sealed = cipher.seal(TOKEN, 'team:T0AAA');
    expect(() => cipher.open(sealed, 'team:T0BBB')).toThrow(TokenDecryptionError);
    expect(() => new TokenCipher(randomBytes(32)).open(sealed, 'team:T0AAA')).toThrow(/does not open with this key/);
    const [version, iv, tag, body] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => cipher.open([version, iv, tag, flipped.toString('base64url')].join('.'), 'team:T0AAA')).toThrow(
      TokenDecryptionError,
    );
    expect(() => cipher.open(TOKEN, 'team:T0AAA')).toThrow(/not a sealed value/);
  });

  it('takes only a 32-byte key', () => {
    expect(() => new TokenCipher(randomBytes(16))).toThrow(/32 bytes, not 16/);
  });
});
