// At connect time, when the address the user just typed answered but not the way the network's
// server does (any web site answers 404 or 200 with an HTML page), one more request asks the
// address what it is, so the words say "that address does not answer as a Mastodon server"
// rather than "it may have been deleted" or "the network is having trouble".
import { ColonnadeError } from '../../shared/errors';

/** How long the one probe may take (ms): the user is waiting in Accounts. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * What an address is, asked by one GET of `path` (a public endpoint every server of the network
 * serves without a sign-in): `true` when the answer is JSON that `looksRight` accepts; `false`
 * when it answered something else (a 2xx–4xx HTML page, JSON of another shape); `undefined`
 * when it cannot tell (no answer, a timeout, a 5xx: a real server may be down behind a proxy).
 */
export async function answersAs(
  base: string,
  path: string,
  looksRight: (body: unknown) => boolean,
  fetchFn: typeof globalThis.fetch = globalThis.fetch,
): Promise<boolean | undefined> {
  let response: Response;
  try {
    response = await fetchFn(new URL(path, base).toString(), {
      headers: { accept: 'application/json' },
      redirect: 'follow',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
  } catch {
    return undefined;
  }
  if (response.status >= 500) return undefined;
  if (!/\bjson\b/i.test(response.headers.get('content-type') ?? '')) return false;
  try {
    return looksRight(await response.json());
  } catch {
    return false;
  }
}

/** The words for an address that answers, but not as `network`'s server: reason `not-a-server`. */
export function notAServer(network: 'X' | 'Bluesky' | 'Mastodon', address: string, field: string): ColonnadeError {
  let server = address;
  try {
    server = new URL(address).host;
  } catch {
    // the address as typed
  }
  return new ColonnadeError('invalid', `${server} does not answer as ${network} servers do; check the address.`, {
    field,
    reason: 'not-a-server',
    params: { network, server },
  });
}
