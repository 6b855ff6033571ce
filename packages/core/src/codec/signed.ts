import type { CookieSigner } from '../crypto/sign.js'
import type { SessionState } from '../session/state.js'
import type { Store } from '../store.js'
import type { CookieCodec, OpenedCookie } from './codec.js'

/** Signed cookies: `prefix + id + '.' + HMAC`, the record in the store. */
export class SignedCodec implements CookieCodec {
  readonly #signer: CookieSigner
  readonly #store: Store

  constructor(signer: CookieSigner, store: Store) {
    this.#signer = signer
    this.#store = store
  }

  open(value: string): OpenedCookie | null | Promise<OpenedCookie | null> {
    return this.#signer.verifyCached(value) ?? this.#signer.verify(value)
  }

  storeFor(): Store {
    return this.#store
  }

  async value(state: SessionState): Promise<string> {
    const known = state.signed
    if (known?.id === state.id) return known.value
    const value = await this.#signer.sign(state.id)
    state.signed = { id: state.id, value }
    return value
  }

  valueSync(state: SessionState): string | undefined {
    const known = state.signed
    if (known?.id === state.id) return known.value
    const value = this.#signer.signSync(state.id)
    if (value !== undefined) state.signed = { id: state.id, value }
    return value
  }

  adopt(state: SessionState, value: string, opened: OpenedCookie): void {
    // Verified by the first secret: exactly what signing the id gives.
    if (!opened.rotated) state.signed = { id: state.id, value }
  }
}
