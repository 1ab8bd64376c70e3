/**
 * One MCP server mounted over stdio: spawned lazily on the first call, one connection shared by every call, and
 * respawned on the next call if the process dies. The child's stderr is piped and drained line by line into the
 * logger (debug), so a chatty server can never fill the pipe and stall. The MCP client SDK is loaded on the first
 * connection: a run whose every call is answered from the cache never loads it.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolFailedError, ToolTimeoutError } from '../errors.js';
import { type Logger, logger as rootLogger } from '../log.js';
import { PRIORITY_META_KEY } from '../mcp-server/shapes.js';
import { McpConnectionError } from './errors.js';
import { compileOnFirstUse } from './lazy-schema-validator.js';
import { dataFromResult, type RawToolResult } from './result-mapping.js';
import type { ToolDefinition } from './types.js';

/** How to start an MCP server over stdio. `env` is added to a minimal safe environment (PATH, HOME, …). */
export interface McpServerSpec {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

/** Options for {@link McpServerClient}. */
export interface McpServerClientOptions {
  logger?: Logger;
  /** Bound on spawning the process and the MCP handshake, ms. @default 30000 */
  connectTimeoutMs?: number;
}

interface Connection {
  client: Client;
  transport: StdioClientTransport;
}

/** The parts of the MCP client SDK this module uses, loaded once, on the first connection. */
interface ClientSdk {
  Client: typeof import('@modelcontextprotocol/sdk/client/index.js').Client;
  StdioClientTransport: typeof import('@modelcontextprotocol/sdk/client/stdio.js').StdioClientTransport;
  McpError: typeof import('@modelcontextprotocol/sdk/types.js').McpError;
  McpErrorCode: typeof import('@modelcontextprotocol/sdk/types.js').ErrorCode;
  AjvJsonSchemaValidator: typeof import('@modelcontextprotocol/sdk/validation/ajv').AjvJsonSchemaValidator;
}

let clientSdk: Promise<ClientSdk> | undefined;

function loadClientSdk(): Promise<ClientSdk> {
  clientSdk ??= Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('@modelcontextprotocol/sdk/types.js'),
    import('@modelcontextprotocol/sdk/validation/ajv'),
  ]).then(([client, stdio, types, ajv]) => ({
    Client: client.Client,
    StdioClientTransport: stdio.StdioClientTransport,
    McpError: types.McpError,
    McpErrorCode: types.ErrorCode,
    AjvJsonSchemaValidator: ajv.AjvJsonSchemaValidator,
  }));
  return clientSdk;
}

const MAX_LOGGED_LINE = 2000;
const RECENT_LINES = 3;
const RECENT_LINE = 300;

/**
 * A lazily connected MCP client for one server.
 * @example
 * const c = new McpServerClient('tickerdesk', { command: process.execPath, args: ['--import', 'tsx', entry] });
 * const data = await c.callTool('get_company_profile', { ticker: 'NVDA' }, 15_000);
 * await c.close();
 */
export class McpServerClient {
  readonly name: string;
  readonly #spec: McpServerSpec | (() => Promise<McpServerSpec>);
  readonly #log: Logger;
  readonly #connectTimeoutMs: number;
  #conn: Promise<Connection> | undefined;
  #closed = false;
  #pid: number | null = null;
  /** The last few lines the server wrote to stderr, quoted in connection errors. */
  readonly #recentStderr: string[] = [];
  #sdk: ClientSdk | undefined;
  /** The tools listed on a connection ({@link McpServerClient.listTools}). */
  #listed: { conn: Connection; names: string[]; definitions: ToolDefinition[] } | undefined;

  /**
   * @param spec how to start the server, or a function that says so when it is first started (our own server looks
   *   for its compiled entry only then).
   */
  constructor(
    name: string,
    spec: McpServerSpec | (() => Promise<McpServerSpec>),
    options: McpServerClientOptions = {},
  ) {
    this.name = name;
    this.#spec = spec;
    this.#log = (options.logger ?? rootLogger).child({ mcpServer: name });
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  }

  /** Pid of the running server process, or `null` when not connected. */
  get pid(): number | null {
    return this.#pid;
  }

  /**
   * Call `tool` with `args`; the attempt is cancelled on the server after `timeoutMs`. With `priority: 'background'`
   * the request carries `_meta` {@link PRIORITY_META_KEY} so that our data server queues its upstream requests behind
   * every user request (other servers ignore it).
   * @returns the tool's data (`structuredContent`, or its JSON text).
   * @throws ToolTimeoutError (transient); McpConnectionError (transient: spawn, exit, protocol break);
   *   UnknownTickerError, DataUnavailableError, InvalidInputError, ToolFailedError from the tool's `isError` result.
   */
  async callTool(
    tool: string,
    args: Record<string, unknown>,
    timeoutMs: number,
    options: { priority?: 'user' | 'background' } = {},
  ): Promise<unknown> {
    const source = `${this.name}/${tool}`;
    const { client } = await this.#connection();
    const meta = options.priority === 'background' ? { _meta: { [PRIORITY_META_KEY]: 'background' } } : {};
    let result: RawToolResult;
    try {
      result = (await client.callTool({ name: tool, arguments: args, ...meta }, undefined, {
        timeout: timeoutMs,
      })) as RawToolResult;
    } catch (err) {
      throw this.#mapCallError(source, timeoutMs, err);
    }
    return dataFromResult(source, args, result);
  }

  /**
   * The names of the server's tools, connecting first (spawning the server) like a tool call. Listed once per
   * connection (`tools/list` makes the server describe every schema); later calls on the same connection only
   * `ping` it, so that a readiness probe stays cheap and still finds a server that stopped answering.
   * @throws McpConnectionError when the server cannot be started or the connection breaks; ToolTimeoutError after
   *   `timeoutMs`.
   */
  async listTools(timeoutMs: number): Promise<string[]> {
    const conn = await this.#connection();
    try {
      if (this.#listed?.conn === conn) {
        await conn.client.ping({ timeout: timeoutMs });
        return this.#listed.names;
      }
      return (await this.#list(conn, timeoutMs)).names;
    } catch (err) {
      throw this.#mapCallError(`${this.name}/tools/list`, timeoutMs, err);
    }
  }

  /**
   * The server's tools as `tools/list` describes them (name, title, description, input JSON Schema), for a model
   * that calls them; listed once per connection, like {@link listTools}.
   * @throws as {@link listTools}.
   */
  async toolDefinitions(timeoutMs: number): Promise<ToolDefinition[]> {
    const conn = await this.#connection();
    try {
      if (this.#listed?.conn === conn) return this.#listed.definitions;
      return (await this.#list(conn, timeoutMs)).definitions;
    } catch (err) {
      throw this.#mapCallError(`${this.name}/tools/list`, timeoutMs, err);
    }
  }

  async #list(conn: Connection, timeoutMs: number) {
    const { tools } = await conn.client.listTools(undefined, { timeout: timeoutMs });
    const definitions = tools.map(
      (tool): ToolDefinition => ({
        name: tool.name,
        ...(tool.title === undefined ? {} : { title: tool.title }),
        ...(tool.description === undefined ? {} : { description: tool.description }),
        inputSchema: tool.inputSchema as ToolDefinition['inputSchema'],
      }),
    );
    this.#listed = { conn, names: definitions.map((d) => d.name), definitions };
    return this.#listed;
  }

  /**
   * The text of resource `uri`, or `undefined` when the server publishes no resources or not this one.
   * Connects first (spawning the server) like a tool call.
   * @throws McpConnectionError when the server cannot be started or the connection breaks.
   */
  async readResource(uri: string, timeoutMs: number): Promise<string | undefined> {
    const { client } = await this.#connection();
    if (!client.getServerCapabilities()?.resources) return undefined;
    try {
      const { contents } = await client.readResource({ uri }, { timeout: timeoutMs });
      const first = contents[0];
      return first && 'text' in first && typeof first.text === 'string' ? first.text : undefined;
    } catch (err) {
      const mapped = this.#mapCallError(`${this.name}/${uri}`, timeoutMs, err);
      if (mapped instanceof McpConnectionError || mapped instanceof ToolTimeoutError) throw mapped;
      return undefined; // the server does not have this resource
    }
  }

  /** Close the connection and stop the process (stdin closed, then SIGTERM, then SIGKILL). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const conn = this.#conn;
    this.#conn = undefined;
    if (!conn) return;
    try {
      const { client } = await conn;
      await client.close();
    } catch {
      // A connection that never opened has nothing to close.
    }
  }

  #connection(): Promise<Connection> {
    if (this.#closed) {
      return Promise.reject(
        new McpConnectionError(this.name, `The tool gateway is closed; MCP server ${this.name} is not available.`, {
          transient: false,
        }),
      );
    }
    if (!this.#conn) {
      const pending = this.#open();
      this.#conn = pending;
      pending.catch(() => {
        if (this.#conn === pending) this.#conn = undefined;
      });
    }
    return this.#conn;
  }

  async #open(): Promise<Connection> {
    const { Client, StdioClientTransport, AjvJsonSchemaValidator } = await this.#loadSdk();
    const spec = typeof this.#spec === 'function' ? await this.#spec() : this.#spec;
    const transport = new StdioClientTransport({
      command: spec.command,
      args: spec.args,
      stderr: 'pipe',
      ...(spec.env ? { env: spec.env } : {}),
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
    });
    this.#drain(transport);
    // The SDK checks answers against the tools' output schemas; each schema is compiled at its tool's first answer,
    // not all of them when tools/list answers (./lazy-schema-validator.ts).
    const client = new Client(
      { name: 'tickerdesk-gateway', version: '0.1.0' },
      { jsonSchemaValidator: compileOnFirstUse(new AjvJsonSchemaValidator()) },
    );
    const self = { client, transport };
    client.onclose = () => {
      this.#log.debug({ pid: this.#pid }, 'MCP server connection closed');
      this.#pid = null;
      void this.#conn?.then(
        (c) => {
          if (c === self) this.#conn = undefined;
        },
        () => {},
      );
    };
    client.onerror = (err) => this.#log.debug({ err }, 'MCP transport error');
    try {
      await client.connect(transport, { timeout: this.#connectTimeoutMs });
    } catch (err) {
      await transport.close().catch(() => {});
      throw new McpConnectionError(
        this.name,
        `Could not start the MCP server ${this.name} (${spec.command}): ${err instanceof Error ? err.message : String(err)}.${this.#lastWords()}`,
        { cause: err },
      );
    }
    this.#pid = transport.pid;
    this.#log.debug({ pid: this.#pid, command: spec.command, args: spec.args }, 'MCP server connected');
    if (this.#closed) {
      await client.close().catch(() => {});
      throw new McpConnectionError(this.name, `The tool gateway was closed while ${this.name} was starting.`, {
        transient: false,
      });
    }
    return self;
  }

  /** Read the child's stderr continuously, forwarding each line to the logger at debug. */
  #drain(transport: StdioClientTransport): void {
    const stream = transport.stderr;
    if (!stream) return;
    const lines = createInterface({ input: stream as Readable, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => {
      if (line.length === 0) return;
      this.#recentStderr.push(line.length > RECENT_LINE ? `${line.slice(0, RECENT_LINE)}…` : line);
      if (this.#recentStderr.length > RECENT_LINES) this.#recentStderr.shift();
      if (!this.#log.isLevelEnabled('debug')) return;
      this.#log.debug({ stderr: line.length > MAX_LOGGED_LINE ? `${line.slice(0, MAX_LOGGED_LINE)}…` : line });
    });
    lines.on('error', () => {});
  }

  /** ` Its stderr said: …` with the server's last stderr lines, or '' when it said nothing. */
  #lastWords(): string {
    if (this.#recentStderr.length === 0) return '';
    return ` Its last output: ${this.#recentStderr.join(' | ')}`;
  }

  /** The client SDK, kept for {@link McpServerClient.#mapCallError} (an error can only follow a connection). */
  async #loadSdk(): Promise<ClientSdk> {
    this.#sdk = await loadClientSdk();
    return this.#sdk;
  }

  #mapCallError(source: string, timeoutMs: number, err: unknown): Error {
    const sdk = this.#sdk;
    if (sdk && err instanceof sdk.McpError) {
      const McpErrorCode = sdk.McpErrorCode;
      if (err.code === McpErrorCode.RequestTimeout) return new ToolTimeoutError(source, timeoutMs, { cause: err });
      if (err.code === McpErrorCode.ConnectionClosed) {
        return new McpConnectionError(
          this.name,
          `The MCP server ${this.name} closed the connection during ${source}.${this.#lastWords()}`,
          {
            cause: err,
            transient: !this.#closed,
          },
        );
      }
      return new ToolFailedError(source, `The data tool ${source} failed: ${err.message}`, { cause: err });
    }
    const message = err instanceof Error ? err.message : String(err);
    return new McpConnectionError(this.name, `The MCP server ${this.name} failed during ${source}: ${message}`, {
      cause: err,
      transient: !this.#closed,
    });
  }
}
