/**
 * Encryption at rest for Slack installations (bot tokens and the rest of the record): AES-256-GCM from Node's
 * crypto with a 32-byte key from the environment (`SLACK_TOKEN_ENCRYPTION_KEY`, read by `config.ts`). Each sealed
 * value has its own random 12-byte IV and a 16-byte authentication tag, and is bound to a context (the record's
 * key), so a value copied onto another workspace's record, a changed byte or the wrong key fails to open instead of
 * yielding another workspace's token.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Bytes of an AES-256 key. */
export const TOKEN_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The format's version, first in every sealed value: `v1.<iv>.<tag>.<ciphertext>`, each part base64url. */
const VERSION = 'v1';

/** A sealed value that cannot be opened: damaged, from another record, or sealed with another key. */
export class TokenDecryptionError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenDecryptionError';
  }
}

/**
 * Seals and opens text with AES-256-GCM.
 * @example
 * const cipher = new TokenCipher(randomBytes(32));
 * const sealed = cipher.seal('xoxb-…', 'team:T012'); // 'v1.…'
 * cipher.open(sealed, 'team:T012'); // 'xoxb-…'
 */
export class TokenCipher {
  readonly #key: Buffer;

  /** @throws RangeError when `key` is not {@link TOKEN_KEY_BYTES} bytes. */
  constructor(key: Uint8Array) {
    if (key.length !== TOKEN_KEY_BYTES)
      throw new RangeError(`an AES-256 key has ${TOKEN_KEY_BYTES} bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
  }

  /** Encrypt `plain`, bound to `context` (authenticated, not stored). */
  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /**
   * Decrypt a value {@link seal} made with the same key and `context`.
   * @throws TokenDecryptionError when it is not such a value (damaged, another context, another key).
   */
  open(sealed: string, context: string): string {
    const [version, iv, tag, body, ...rest] = sealed.split('.');
    if (version !== VERSION || iv === undefined || tag === undefined || body === undefined || rest.length > 0)
      throw new TokenDecryptionError('not a sealed value of this format (v1)');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch (err) {
      throw new TokenDecryptionError(
        'the sealed value does not open with this key (SLACK_TOKEN_ENCRYPTION_KEY changed, or the value was altered)',
        { cause: err },
      );
    }
  }
}
