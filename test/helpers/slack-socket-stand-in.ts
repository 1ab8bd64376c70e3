/**
 * A local Socket Mode endpoint on 127.0.0.1: a minimal RFC 6455 WebSocket server (handshake, text frames, ping →
 * pong, close) that says `hello` like Slack, sends envelopes (`slash_commands`, `events_api`) and collects the
 * app's acknowledgements (`{ envelope_id, payload }`). `SlackStandIn.socketUrl` points `apps.connections.open` here.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : Buffer.alloc(len < 65536 ? 4 : 10);
  if (len >= 126 && len < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else if (len >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

/** An acknowledgement the app sent. */
export interface SocketAck {
  envelopeId: string;
  payload: Record<string, unknown>;
  at: number;
}

/** The Socket Mode stand-in. */
export class SlackSocketStandIn {
  readonly acks: SocketAck[] = [];
  private readonly server = http.createServer((_req, res) => res.writeHead(404).end());
  private socket: Duplex | undefined;
  private buffer = Buffer.alloc(0);
  private onConnect: (() => void) | undefined;
  url = '';

  /** Listen on a free port of 127.0.0.1. */
  async start(): Promise<this> {
    this.server.on('upgrade', (req, socket) => this.accept(req, socket));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link/?ticket=${randomUUID()}`;
    return this;
  }

  /** Resolves once a client is connected and greeted with `hello`. */
  connected(): Promise<void> {
    if (this.socket) return Promise.resolve();
    return new Promise((resolve) => {
      this.onConnect = resolve;
    });
  }

  /** Send an envelope; returns its id. */
  send(type: 'slash_commands' | 'events_api', payload: Record<string, unknown>, retryAttempt = 0): string {
    const envelopeId = randomUUID();
    const message = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type === 'slash_commands',
      retry_attempt: retryAttempt,
      retry_reason: retryAttempt ? 'timeout' : '',
    };
    this.socket?.write(frame(0x1, Buffer.from(JSON.stringify(message))));
    return envelopeId;
  }

  /** Wait for the app's acknowledgement of `envelopeId`. */
  async ackOf(envelopeId: string, timeoutMs = 5000): Promise<SocketAck> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const ack = this.acks.find((a) => a.envelopeId === envelopeId);
      if (ack) return ack;
      if (Date.now() > until) throw new Error(`No ack for envelope ${envelopeId}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(req: http.IncomingMessage, socket: Duplex): void {
    const key = String(req.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
    });
    const hello = {
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'stand-in', approximate_connection_time: 3600 },
      connection_info: { app_id: 'A0TICKER' },
    };
    socket.write(frame(0x1, Buffer.from(JSON.stringify(hello))));
    this.onConnect?.();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = (this.buffer[0] ?? 0) & 0x0f;
      const masked = ((this.buffer[1] ?? 0) & 0x80) !== 0;
      let len = (this.buffer[1] ?? 0) & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const maskLen = masked ? 4 : 0;
      if (this.buffer.length < offset + maskLen + len) return;
      const mask = this.buffer.subarray(offset, offset + maskLen);
      const payload = Buffer.from(this.buffer.subarray(offset + maskLen, offset + maskLen + len));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
      this.buffer = this.buffer.subarray(offset + maskLen + len);
      if (opcode === 0x1) {
        const message = JSON.parse(payload.toString('utf8')) as {
          envelope_id?: string;
          payload?: Record<string, unknown>;
        };
        if (message.envelope_id) {
          this.acks.push({ envelopeId: message.envelope_id, payload: message.payload ?? {}, at: Date.now() });
        }
      } else if (opcode === 0x9) {
        this.socket?.write(frame(0xa, payload));
      } else if (opcode === 0x8) {
        this.socket?.write(frame(0x8, payload));
        this.socket?.end();
      }
    }
  }
}
