/**
 * A real Redis for tests. `TEST_REDIS_URL` (set by `.ci/run`) names a running server; without it, a private
 * `redis-server` (Debian's package) is started on a free port when the binary is installed. When neither is
 * possible, {@link redisSkipReason} says why and the Redis tests skip with that message.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import net from 'node:net';

/** A Redis server the tests may use. */
export interface TestRedis {
  url: string;
  /** Whether this process started it (so a test may stop it to simulate an outage). */
  owned: boolean;
  /** Stop it if this process started it. Idempotent. */
  stop(): Promise<void>;
}

/** The `redis-server` binary's path, or `undefined` when it is not installed. */
export function redisServerBinary(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Why the Redis tests cannot run here, or `undefined` when they can. */
export function redisSkipReason(): string | undefined {
  if (process.env.TEST_REDIS_URL) return undefined;
  if (redisServerBinary()) return undefined;
  return 'Redis tests skipped: set TEST_REDIS_URL or install redis-server (apt-get install -y redis-server).';
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolve once `port` accepts a connection and answers PING, or reject after `timeoutMs`. */
async function waitForPing(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(500);
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
}

/**
 * Start a private `redis-server` on a free port (no persistence), or reuse `TEST_REDIS_URL` unless `fresh` asks
 * for a private one (tests that stop the server need their own); `port` restarts one on a known port.
 * @throws when neither is possible (check {@link redisSkipReason} first).
 */
export async function startTestRedis(options: { fresh?: boolean; port?: number } = {}): Promise<TestRedis> {
  const shared = process.env.TEST_REDIS_URL;
  if (shared && !options.fresh && options.port === undefined)
    return { url: shared, owned: false, stop: async () => undefined };
  const bin = redisServerBinary();
  if (!bin) throw new Error('redis-server is not installed');
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPing(port, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    owned: true,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      })();
      return stopped;
    },
  };
}
