/**
 * Redis URLs in logs: apart from the Redis client, so that naming a store does not load `@redis/client`.
 */

/** `url` without its password, for logs (`redis://:***@host:6379/0`). */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparseable url)';
  }
}
