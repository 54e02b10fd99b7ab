// The X network: adapter factory, credential schema and the ways to connect an account.
import { XAdapter, type XAdapterContext } from './adapter';
import type { XCredentials } from './client';

export { XAdapter, REFRESH_MARGIN_MS } from './adapter';
export type { AdapterContext, XAdapterContext } from './adapter';
export { XCredentialsSchema, DEFAULT_API_BASE, baseUrlPlugin } from './client';
export type { XCredentials } from './client';
export { beginXOAuth2, completeXOAuth2, connectXOAuth1, X_SCOPES } from './oauth';
export type { XOAuth1Keys, XOAuth2Begin, XOAuth2BeginOptions } from './oauth';

export function createXAdapter(credentials: XCredentials, ctx: XAdapterContext): XAdapter {
  return new XAdapter(credentials, ctx);
}
