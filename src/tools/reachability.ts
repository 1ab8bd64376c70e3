/**
 * Whether refreshing a stale fallback answer can get anything new. A fallback answer (the bundle answered because a
 * live provider failed) names, per failed provider, the host that could not be reached (`ProviderAttempt.unreachable`:
 * a DNS failure, a refused or reset connection). While every one of those hosts still cannot be reached, a refresh
 * would only fetch the same fallback again — and in a short-lived process (the CLI) it would first start the data
 * server and then hold the exit for it. So the gateway asks the hosts first, which costs one DNS lookup (or, for a
 * `host:port`, one TCP connect) per host: offline it fails within milliseconds.
 */
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import pTimeout from 'p-timeout';

/** Whether `host` (`name` or `name:port`, as `URL.host` gives it) can be reached now; never rejects. */
export type HostProbe = (host: string, timeoutMs: number) => Promise<boolean>;

/** Longest a probe of one host may take, ms; a slower one counts as unreachable. */
export const PROBE_TIMEOUT_MS = 1000;

interface Attempt {
  outcome?: unknown;
  unreachable?: unknown;
}

/**
 * The hosts whose failure made `data` a fallback answer, when every failed attempt in its `provenance.tried` names
 * its host as unreachable; `undefined` when none failed, or when one failed otherwise (an HTTP error, a timeout, a
 * broken body: only asking again tells) or names no host (an answer cached by an older version).
 */
export function unreachableHostsOf(data: unknown): string[] | undefined {
  const tried = (data as { provenance?: { tried?: unknown } } | null | undefined)?.provenance?.tried;
  if (!Array.isArray(tried)) return undefined;
  const failed = (tried as Attempt[]).filter((t) => t?.outcome === 'failed');
  if (failed.length === 0) return undefined;
  const hosts = new Set<string>();
  for (const attempt of failed) {
    if (typeof attempt.unreachable !== 'string' || attempt.unreachable === '') return undefined;
    hosts.add(attempt.unreachable);
  }
  return [...hosts];
}

/** `name` and `port` of a `URL.host` (IPv6 brackets removed); `undefined` when it does not parse. */
function splitHost(host: string): { name: string; port?: number } | undefined {
  try {
    const url = new URL(`http://${host}`);
    const name = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return url.port ? { name, port: Number(url.port) } : { name };
  } catch {
    return undefined;
  }
}

function connects(name: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: name, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The default {@link HostProbe}: for `name:port` a TCP connect (closed at once, nothing sent); for a bare `name` (the
 * live providers' https hosts, port unknown here) a DNS lookup, as `fetch` makes it. A host that resolves but refuses
 * connections on its default port is taken as reachable: the refresh finds that out itself.
 */
export const probeHost: HostProbe = async (host, timeoutMs) => {
  const parts = splitHost(host);
  if (!parts) return false;
  if (parts.port !== undefined) return connects(parts.name, parts.port, timeoutMs);
  return pTimeout(
    lookup(parts.name).then(
      () => true,
      () => false,
    ),
    { milliseconds: timeoutMs, fallback: () => false },
  );
};

/** Whether any of `hosts` can be reached now (probed side by side). Never rejects. */
export async function anyReachable(
  hosts: readonly string[],
  probe: HostProbe = probeHost,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<boolean> {
  const answers = await Promise.all(hosts.map((h) => probe(h, timeoutMs).catch(() => false)));
  return answers.includes(true);
}
