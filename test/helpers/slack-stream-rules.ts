/**
 * The chunks Slack's streaming methods take (`chat.startStream`, `chat.appendStream`, `chat.stopStream`), checked
 * as Slack checks them: `markdown_text` with `text`; `plan_update` with `title`; `task_update` with `id`, `title`, a
 * `status` of `pending`, `in_progress`, `complete` or `error`, and `sources` of `url` elements each with `url` and
 * `text`; `blocks` with an array. Anything else answers `invalid_chunks`.
 */

/** One chunk as received. */
export interface ReceivedChunk {
  type?: string;
  text?: unknown;
  title?: unknown;
  id?: unknown;
  status?: unknown;
  sources?: unknown;
  blocks?: unknown;
  details?: unknown;
}

const STATUSES = new Set(['pending', 'in_progress', 'complete', 'error']);

/** True when every chunk is one Slack accepts (an empty list too: `chat.stopStream` may add nothing). */
export function chunksValid(chunks: unknown): chunks is ReceivedChunk[] {
  if (!Array.isArray(chunks)) return false;
  return (chunks as ReceivedChunk[]).every((c) => {
    switch (c.type) {
      case 'markdown_text':
        return typeof c.text === 'string';
      case 'plan_update':
        return typeof c.title === 'string' && c.title !== '';
      case 'task_update': {
        if (typeof c.id !== 'string' || typeof c.title !== 'string' || !STATUSES.has(String(c.status))) return false;
        if (c.sources === undefined) return true;
        return (
          Array.isArray(c.sources) &&
          (c.sources as { type?: string; url?: unknown; text?: unknown }[]).every(
            (s) => s.type === 'url' && typeof s.url === 'string' && typeof s.text === 'string' && s.text !== '',
          )
        );
      }
      case 'blocks':
        return Array.isArray(c.blocks);
      default:
        return false;
    }
  });
}
