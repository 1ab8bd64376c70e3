/** Shared set-up for the tool gateway tests: temp folders, a config, and the test MCP server's spawn spec. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type Config, REPO_ROOT } from '../../src/config.js';
import { type CreateToolGatewayOptions, createToolGateway, type ToolGateway } from '../../src/tools/index.js';
import type { McpServerSpec } from '../../src/tools/mcp-client.js';
import { bundledConfig } from '../helpers/test-config.js';

/** A fresh temp folder; remove it with {@link removeDir}. */
export function tempDir(prefix = 'tickerdesk-tools-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A config whose local state lives in `home`. */
export function testConfig(home: string, env: Record<string, string> = {}): Config {
  return bundledConfig({ TICKERDESK_HOME: home, LOG_LEVEL: 'silent', TOOL_RETRIES: '0', ...env });
}

/** Spawn spec of `test/helpers/test-mcp-server.ts`; `stateDir` keeps the `flaky` crash counters. */
export function testServerSpec(stateDir: string): McpServerSpec {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'helpers', 'test-mcp-server.ts')],
    cwd: REPO_ROOT,
    env: { TEST_MCP_STATE_DIR: stateDir },
  };
}

/** Whether a process with this pid is alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Gateways on the test MCP server (mounted as `test`), one temp folder per test: registers a `beforeEach` that makes
 * the folder and an `afterEach` that closes every gateway opened and removes it. Call inside a `describe`.
 * @param defaults gateway options for every `open` (e.g. `{ retryMinMs: 20 }`).
 * @returns `dir()`, the current test's folder (cache file, crash counters), and `open(env, options)`.
 */
export function useTestGateways(defaults: CreateToolGatewayOptions = {}): {
  dir: () => string;
  open: (env?: Record<string, string>, options?: CreateToolGatewayOptions) => Promise<ToolGateway>;
} {
  let dir = '';
  const gateways: ToolGateway[] = [];
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.close()));
    removeDir(dir);
  });
  return {
    dir: () => dir,
    open: async (env = {}, options = {}) => {
      const gw = await createToolGateway(testConfig(dir, env), {
        servers: { test: testServerSpec(dir) },
        ...defaults,
        ...options,
      });
      gateways.push(gw);
      return gw;
    },
  };
}
