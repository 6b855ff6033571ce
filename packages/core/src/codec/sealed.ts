import type { CookieSealer } from '../crypto/seal.js'
import { SessionStateError } from '../errors.js'
import type { SealedSlot } from '../internal/sealed-slot.js'
import { parseSealedPayload, sealedSlot } from '../internal/sealed-slot.js'
import type { SessionState } from '../session/state.js'
import type { SessionRecord, Store } from '../store.js'
import type { CookieCodec, OpenedCookie } from './codec.js'

/** Sealed cookies: the whole record in the cookie, AES-256-GCM; each request's record lives in a slot. */
export class SealedCodec implements CookieCodec {
  readonly #sealer: CookieSealer

  constructor(sealer: CookieSealer) {
    this.#sealer = sealer
  }

  async open(value: string): Promise<OpenedCookie | null> {
    const opened = await this.#sealer.unseal(value)
    const parsed = opened === null ? undefined : parseSealedPayload(opened.payload)
    if (opened === null || parsed === undefined) return null
    return { id: parsed.id, rotated: opened.rotated, record: parsed.session }
  }

  storeFor(opened: { id: string; record: SessionRecord } | undefined): Store {
    return sealedSlot(opened === undefined ? undefined : { id: opened.id, session: opened.record })
  }

  async value(state: SessionState): Promise<string> {
    const payload = (state.store as SealedSlot).payload()
    if (payload === undefined) {
      throw new SessionStateError('SESSION_MISSING', '[sess] Internal: no sealed record.')
    }
    return this.#sealer.seal(payload)
  }

  valueSync(): string | undefined {
    return undefined
  }

  adopt(): void {
    // A sealed value changes with every write (and carries a fresh IV): never reused.
  }
}
