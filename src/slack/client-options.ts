/** The Web API client options every client of the app uses (the listeners', the OAuth install's, the alerts'). */
import type { webApi } from '@slack/bolt';

/**
 * Web API client options: our own handling of rate limits (see `web-api-calls.ts`), short retries for network
 * errors instead of the SDK's thirty minutes, a 10 s timeout per request.
 */
export function clientOptions(apiUrl: string | undefined): webApi.WebClientOptions {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 3, factor: 2, minTimeout: 300, maxTimeout: 3000 },
    timeout: 10_000,
  };
}
