import { carryCodec } from './codec/carried-codec.js'
import { SealedCodec } from './codec/sealed.js'
import { CookieSealer } from './crypto/seal.js'
import { SessionStateError } from './errors.js'
import type { Store } from './store.js'

/**
 * What {@link sealedCookie} returns: the `store` option of sealed-cookie mode. It keeps no records: its methods
 * reject with `CAPABILITY_MISSING` (core never calls them; neither should the app). The sealed codec it carries
 * is internal.
 */
export interface SealedCookieStore extends Store {}

const noStore = (): Promise<never> =>
  Promise.reject(new SessionStateError('CAPABILITY_MISSING', '[sess] Sealed-cookie mode has no store.'))

/**
 * Sealed-cookie mode, as the `store` option: `session({ secret, store: sealedCookie() })`. No store; the whole
 * session travels in the cookie, encrypted and authenticated with AES-256-GCM (keys derived from the secrets with
 * HKDF, rotated like signing secrets). For edge apps without storage. It cannot revoke a session before it expires,
 * and the cookie is limited to 4096 bytes (about 2.9 kB of JSON data). Per-user listing and revocation
 * reject with `CAPABILITY_MISSING`. An import rather than a flag, so apps with a store do not bundle the sealing code.
 * @example `app.use(session({ secret: (c) => c.env.SESSION_SECRET, store: sealedCookie() }))`
 */
export function sealedCookie(): SealedCookieStore {
  return carryCodec({ get: noStore, set: noStore, destroy: noStore }, (secrets, cookieName) => {
    return new SealedCodec(new CookieSealer(secrets, cookieName))
  })
}
