/**
 * Where the Slack app's installations are kept in OAuth mode (one per workspace, or per organisation for an org-wide
 * install): Bolt's `InstallationStore` on keyv — `installations.sqlite` in the home folder, or Redis with
 * `CACHE_URL` so that every instance answers every workspace. Each record is the whole installation as JSON, sealed
 * with AES-256-GCM ({@link TokenCipher}) and bound to its key, so no token is stored in plain text.
 *
 * Unlike the thread store, failures are not swallowed: Bolt's authorize needs an answer, and an installation that
 * cannot be read means the request is not answered (Bolt logs it and acknowledges it).
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type Keyv from 'keyv';
import { type KeyvLocation, openKeyvStore } from '../../keyv-open.js';
import type { Logger } from '../../log.js';
import { bounded } from '../../tools/bounded.js';
import { TokenCipher } from './token-cipher.js';

/** No installation is stored for the workspace (or organisation) asked about. */
export class InstallationNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`tickerdesk is not installed in ${id.replace(':', ' ')} (no installation stored)`);
    this.name = 'InstallationNotFoundError';
  }
}

/** What a record of the store holds: the installation's JSON, sealed. */
interface StoredInstallation {
  version: 1;
  sealed: string;
}

/** The record key of an installation or a query: `enterprise:E…` for an org-wide install, else `team:T…`. */
export function installationKey(
  who: Pick<InstallationQuery<boolean>, 'teamId' | 'enterpriseId' | 'isEnterpriseInstall'>,
): string {
  if (who.isEnterpriseInstall && who.enterpriseId) return `enterprise:${who.enterpriseId}`;
  if (who.teamId) return `team:${who.teamId}`;
  throw new Error('an installation query names neither a team nor an org-wide enterprise');
}

function keyOf(installation: Installation): string {
  return installationKey({
    teamId: installation.team?.id,
    enterpriseId: installation.enterprise?.id,
    isEnterpriseInstall: installation.isEnterpriseInstall === true,
  });
}

/** Options of {@link KeyvInstallationStore}. */
export interface InstallationStoreOptions {
  logger: Logger;
  /** Bound on each operation, ms. @default 2000 */
  opTimeoutMs?: number;
  /** Where the store is, for messages. */
  label?: string;
}

/** Bolt's `InstallationStore` over one Keyv, each record sealed with `cipher`. */
export class KeyvInstallationStore implements InstallationStore {
  readonly #keyv: Keyv;
  readonly #cipher: TokenCipher;
  readonly #log: Logger;
  readonly #opTimeoutMs: number;
  readonly #label: string;
  #closed = false;

  constructor(keyv: Keyv, cipher: TokenCipher, options: InstallationStoreOptions) {
    this.#keyv = keyv;
    this.#cipher = cipher;
    this.#log = options.logger;
    this.#opTimeoutMs = options.opTimeoutMs ?? 2000;
    this.#label = options.label ?? 'installation store';
    keyv.throwOnErrors = true;
    keyv.on('error', (err: unknown) =>
      this.#log.warn({ err: err instanceof Error ? err.message : String(err) }, `The installation store failed`),
    );
  }

  /** Keep (or replace) `installation`, sealed. @throws the store's error when it cannot be written. */
  async storeInstallation(installation: Installation): Promise<void> {
    const key = keyOf(installation);
    const record: StoredInstallation = { version: 1, sealed: this.#cipher.seal(JSON.stringify(installation), key) };
    await this.#op('set', () => this.#keyv.set(key, record));
    this.#log.info(
      { key, team: installation.team?.name, enterprise: installation.enterprise?.name },
      `Installed in ${key.replace(':', ' ')}`,
    );
  }

  /**
   * The installation `query` names (an org-wide one for an enterprise install).
   * @throws InstallationNotFoundError when none is stored; TokenDecryptionError when the record does not open with
   * the key; the store's error when it cannot be read.
   */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const key = installationKey(query);
    const record = (await this.#op('get', () => this.#keyv.get(key))) as StoredInstallation | undefined;
    if (record?.version !== 1 || typeof record.sealed !== 'string') throw new InstallationNotFoundError(key);
    return JSON.parse(this.#cipher.open(record.sealed, key)) as Installation<'v1' | 'v2', boolean>;
  }

  /**
   * Every org-wide (Enterprise Grid) installation stored: the records keyed `enterprise:E…`, each opened. Reads the
   * whole store (a few records a workspace or organisation), so callers keep what they learn from it. A record that
   * does not open with the key is left out with a warning. @throws the store's error when it cannot be read.
   */
  async orgWideInstallations(): Promise<Installation<'v1' | 'v2', boolean>[]> {
    const iterator = this.#keyv.iterator;
    if (!iterator) throw new Error(`the installation store ${this.#label} cannot list its records`);
    return this.#op('list', async () => {
      const found: Installation<'v1' | 'v2', boolean>[] = [];
      // keyv's iterator is bound to its store's namespace; its argument is unused.
      for await (const [key, value] of iterator(undefined) as AsyncIterable<[string, unknown]>) {
        const record = value as StoredInstallation | undefined;
        if (!key.startsWith('enterprise:') || record?.version !== 1 || typeof record.sealed !== 'string') continue;
        try {
          found.push(JSON.parse(this.#cipher.open(record.sealed, key)) as Installation<'v1' | 'v2', boolean>);
        } catch (err) {
          this.#log.warn(
            { key, err: err instanceof Error ? err.message : String(err) },
            `The installation ${key.replace(':', ' ')} could not be opened; it is left out`,
          );
        }
      }
      return found;
    });
  }

  /** Forget the installation `query` names (nothing when there is none). @throws the store's error. */
  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = installationKey(query);
    const deleted = await this.#op('delete', () => this.#keyv.delete(key));
    this.#log.info({ key, deleted }, `Removed the installation of ${key.replace(':', ' ')}`);
  }

  /** Close the file or connection. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#keyv.disconnect().catch(() => undefined);
  }

  async #op<T>(op: string, fn: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error(`the installation store ${this.#label} is closed`);
    return bounded(
      fn,
      this.#opTimeoutMs,
      new Error(`installation store ${op} did not finish within ${this.#opTimeoutMs} ms`),
    );
  }
}

/**
 * Open the installation store at `location` (Redis namespace `tickerdesk:installations`, or the SQLite file),
 * sealing records with `key` (32 bytes, `SLACK_TOKEN_ENCRYPTION_KEY`).
 */
export async function openInstallationStore(
  location: KeyvLocation,
  key: Uint8Array,
  options: Omit<InstallationStoreOptions, 'label'> & { connectTimeoutMs?: number },
): Promise<KeyvInstallationStore> {
  const cipher = new TokenCipher(key);
  return openKeyvStore(
    location,
    { opTimeoutMs: 2000, ...options },
    { namespace: 'installations', what: 'installation store' },
    (keyv, opened) => new KeyvInstallationStore(keyv, cipher, opened),
  );
}
