/**
 * Which hosts a stale fallback answer's refresh depends on, and asking them: `unreachableHostsOf` reads the answer's
 * provenance; `probeHost` connects to a `host:port` (127.0.0.1 here: one that listens, one that refuses) or looks a
 * bare name up (`localhost`, answered from the hosts file: no network).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { anyReachable, probeHost, unreachableHostsOf } from '../../src/tools/reachability.js';
import { refusedUrl } from '../helpers/live-env.js';

const unreachable = (provider: string, host: string) => ({
  provider,
  outcome: 'failed',
  reason: `${host} could not be reached (ENOTFOUND).`,
  unreachable: host,
});

describe('unreachableHostsOf', () => {
  it('names the hosts when every failed attempt could not reach its host', () => {
    const data = {
      provenance: {
        provider: 'bundled',
        live: false,
        tried: [
          unreachable('yahoo', 'query1.finance.yahoo.com'),
          { provider: 'stooq', outcome: 'unknown', reason: 'No such ticker.' },
          unreachable('finnhub', 'query1.finance.yahoo.com'),
        ],
      },
    };
    expect(unreachableHostsOf(data)).toEqual(['query1.finance.yahoo.com']);
  });

  it('is undefined when nothing failed, when a failure was not about reaching the host, or for an older answer', () => {
    expect(unreachableHostsOf({ price: 1 })).toBeUndefined();
    expect(unreachableHostsOf(null)).toBeUndefined();
    expect(unreachableHostsOf({ provenance: { provider: 'yahoo', live: true, tried: [] } })).toBeUndefined();
    const http503 = { provider: 'stooq', outcome: 'failed', reason: 'stooq.com answered HTTP 503.' };
    expect(
      unreachableHostsOf({ provenance: { tried: [unreachable('yahoo', 'query1.finance.yahoo.com'), http503] } }),
    ).toBeUndefined();
    // Cached before attempts named their host: only a refresh tells.
    const older = { provider: 'yahoo', outcome: 'failed', reason: 'query1.finance.yahoo.com could not be reached.' };
    expect(unreachableHostsOf({ provenance: { tried: [older] } })).toBeUndefined();
  });
});

describe('probeHost', () => {
  const servers: net.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('connects to a host:port that listens, and not to one that refuses', async () => {
    const server = net.createServer((socket) => socket.destroy());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    expect(await probeHost(`127.0.0.1:${port}`, 5000)).toBe(true);
    const refused = new URL(await refusedUrl()).host;
    expect(await probeHost(refused, 5000)).toBe(false);
    expect(await anyReachable([refused, `127.0.0.1:${port}`])).toBe(true);
    expect(await anyReachable([refused])).toBe(false);
  });

  it('looks a bare name up, and answers false for a host that does not parse', async () => {
    expect(await probeHost('localhost', 5000)).toBe(true);
    expect(await probeHost('bad host name:port', 5000)).toBe(false);
  });

  it('counts a probe that throws as unreachable', async () => {
    const throwing = () => Promise.reject(new Error('boom'));
    expect(await anyReachable(['a.example'], throwing)).toBe(false);
  });
});
