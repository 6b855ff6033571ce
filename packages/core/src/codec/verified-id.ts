import type { SessionState } from '../session/state.js'
import type { Store } from '../store.js'
import type { CookieCodec, OpenedCookie } from './codec.js'

/** The candidates and codec a load uses for a verified id. */
export type VerifiedCandidate = { candidates: string[]; codec: CookieCodec }

/**
 * `LoadInput.verifiedId`: an id the adapter verified from a signed cookie of its own format (Fastify's), opened as it
 * is. The edge build has no such adapter and swaps in `verified-id.edge.ts`, which ignores the input (no bytes there).
 */
export function verifiedCandidate(
  input: { verifiedId?: string | undefined },
  codec: CookieCodec,
): VerifiedCandidate | undefined {
  if (input.verifiedId === undefined) return undefined
  let verified = wrappers.get(codec)
  if (verified === undefined) wrappers.set(codec, (verified = new VerifiedIdCodec(codec)))
  return { candidates: [input.verifiedId], codec: verified }
}

const wrappers = new WeakMap<CookieCodec, CookieCodec>()

/** The request's codec, except that a candidate is an id already verified, not a cookie value to open. */
class VerifiedIdCodec implements CookieCodec {
  constructor(readonly inner: CookieCodec) {}

  open(id: string): OpenedCookie {
    return { id, rotated: false }
  }

  storeFor(opened: Parameters<CookieCodec['storeFor']>[0]): Store {
    return this.inner.storeFor(opened)
  }

  value(state: SessionState): Promise<string> {
    return this.inner.value(state)
  }

  valueSync(state: SessionState): string | undefined {
    return this.inner.valueSync(state)
  }

  /** The id is not the cookie's value: nothing to remember (the value is signed if a cookie goes out). */
  adopt(): void {}
}
