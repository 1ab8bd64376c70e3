/**
 * The MCP client SDK checks each tool answer's `structuredContent` against the tool's output schema, and compiles a
 * validator for every tool (with ajv) inside `listTools`, before the list is returned: measured 55–400 ms for our
 * data server's ten schemas in the client process, much of the time from spawn to the list. {@link
 * compileOnFirstUse} gives the SDK a validator provider that hands the list back at once and compiles the schemas
 * afterwards, one per turn of the event loop while the process is otherwise idle (a server started at boot has them
 * all ready before the first request), or at a tool's first answer if that comes first. The checks are the same.
 */
import type {
  JsonSchemaType,
  JsonSchemaValidator,
  jsonSchemaValidator,
} from '@modelcontextprotocol/sdk/validation/types.js';

/**
 * Wrap `inner` (the SDK's `AjvJsonSchemaValidator`) so that `getValidator` compiles nothing at once: each schema is
 * compiled by `inner` in the background, one per `setImmediate` turn (which keeps no process alive), or on the
 * returned validator's first call, whichever comes first; then reused.
 * A schema `inner` cannot compile throws from the validator's call (the SDK reports it as a failed tool call); in
 * the background it is left for that call.
 * @example new Client(info, { jsonSchemaValidator: compileOnFirstUse(new AjvJsonSchemaValidator()) })
 */
export function compileOnFirstUse(inner: jsonSchemaValidator): jsonSchemaValidator {
  const waiting: (() => unknown)[] = [];
  let scheduled = false;
  const compileNext = () => {
    try {
      waiting.shift()?.();
    } catch {
      // Thrown again, and reported, by the first answer of that tool.
    }
    if (waiting.length > 0) setImmediate(compileNext).unref();
    else scheduled = false;
  };
  return {
    getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
      let compiled: JsonSchemaValidator<T> | undefined;
      const compile = () => {
        compiled ??= inner.getValidator<T>(schema);
        return compiled;
      };
      waiting.push(compile);
      if (!scheduled) {
        scheduled = true;
        setImmediate(compileNext).unref();
      }
      return (input) => compile()(input);
    },
  };
}
