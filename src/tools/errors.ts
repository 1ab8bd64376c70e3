/**
 * Errors specific to the tool gateway's MCP connections (the other tool errors live in `src/errors.ts`).
 */
import { ErrorCode, TickerdeskError } from '../errors.js';

/**
 * The MCP connection itself failed: the server process could not start, exited, or broke the protocol.
 * `transient` is true (a retry reconnects) unless the gateway was closed.
 */
export class McpConnectionError extends TickerdeskError {
  /** Name of the mounted MCP server. */
  readonly server: string;
  constructor(server: string, message: string, options: { cause?: unknown; transient?: boolean } = {}) {
    super(ErrorCode.McpConnection, message, { transient: true, ...options });
    this.name = 'McpConnectionError';
    this.server = server;
  }
}
