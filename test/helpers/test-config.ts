/**
 * Configuration for tests that mean the bundled data set. `loadConfig(env)` reads only the `env` it is given, and
 * `DATA_SOURCE` defaults to `auto`, which asks the keyless live price providers (Yahoo, Stooq) first and SEC EDGAR
 * when `SEC_USER_AGENT` is set: a test that builds its own `env` without saying `DATA_SOURCE` would depend on the
 * machine having no network (its answers would be today's prices where there is one) and on the variables it copies.
 */
import { type Config, loadConfig } from '../../src/config.js';

/**
 * `loadConfig` with `DATA_SOURCE=bundled` unless `env` sets it (a test of live data passes `liveEnv(…)`, which does).
 * @throws ConfigError as loadConfig does.
 */
export function bundledConfig(env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ DATA_SOURCE: 'bundled', ...env });
}
