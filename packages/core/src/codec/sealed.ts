import type { CookieSealer } from '../crypto/seal.js'
import { SessionStateError } from '../errors.js'
import type { SealedSlot } from '../internal/sealed-slot.js'
import { parseSealedPayload, sealedSlot } from '../internal/sealed-slot.js'
import type { SessionState } from '../session/state.js'
import type { SessionRecord, Store } from '../store.js'
import type { CookieCodec, OpenedCookie } from './codec.js'
import { Generations } from '../internal/generations.js'

/** A cookie value this codec sealed or opened, and what it holds. */
interface Opened {
  payload: string
  rotated: boolean
}

/** Cookie values remembered per generation; two generations bound the memory (payloads are under 4 KB each). */
const GENERATION_SIZE = 1024

/**
 * Sealed cookies: the whole record in the cookie, AES-256-GCM; each request's record lives in a slot.
 *
 * The values it sealed or opened recently are remembered with their payload (two generations, bounded), so a
 * returning cookie opens without decrypting: the same value always holds the same payload (GCM authenticates it),
 * and a codec lives for one secret list. A hit is parsed afresh, so no request shares the record of another.
 */
export class SealedCodec implements CookieCodec {
  readonly #sealer: CookieSealer
  readonly #opened = new Generations<Opened>(GENERATION_SIZE)

  constructor(sealer: CookieSealer) {
    this.#sealer = sealer
  }

  open(value: string): OpenedCookie | null | Promise<OpenedCookie | null> {
    const known = this.#opened.get(value)
    if (known !== undefined) return opened(known)
    return this.#sealer.unseal(value).then((o) => {
      if (o === null) return null
      this.#opened.set(value, o)
      return opened(o)
    })
  }

  storeFor(opened: { id: string; record: SessionRecord } | undefined): Store {
    return sealedSlot(opened === undefined ? undefined : { id: opened.id, session: opened.record })
  }

  async value(state: SessionState): Promise<string> {
    const payload = (state.store as SealedSlot).payload()
    if (payload === undefined) {
      throw new SessionStateError('SESSION_MISSING', '[sess] Internal: no sealed record.')
    }
    const value = await this.#sealer.seal(payload)
    this.#opened.set(value, { payload, rotated: false })
    return value
  }

  valueSync(): string | undefined {
    return undefined
  }

  adopt(): void {
    // A sealed value changes with every write (and carries a fresh IV): never reused.
  }
}

function opened(o: Opened): OpenedCookie | null {
  const parsed = parseSealedPayload(o.payload)
  return parsed === undefined ? null : { id: parsed.id, rotated: o.rotated, record: parsed.session }
}
