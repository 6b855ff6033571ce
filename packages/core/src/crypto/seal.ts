import { decodeBase64Url, encodeBase64Url } from './encoding.js'

// Web Crypto's typings want ArrayBuffer-backed views; TextEncoder and our decoder only ever produce those.
type View = Uint8Array<ArrayBuffer>
// Nothing built at load (no encoder, no salt bytes): a bundle that imports this module without using it drops all.
// One encoder and one decoder, made on first use (a seal encodes its payload on every write).
let encoder: TextEncoder | undefined
let decoder: TextDecoder | undefined
const encode = (text: string): View => (encoder ??= new TextEncoder()).encode(text) as View
const IV_BYTES = 12
/** Seals are at least an IV (12 bytes) and a GCM tag (16) long. A literal: esbuild keeps `IV_BYTES + 16` in bundles that never seal. */
const MIN_SEAL_BYTES = 28

/**
 * Encrypts and authenticates cookie payloads with AES-256-GCM. Each secret yields its own key through HKDF-SHA-256,
 * so the signing secrets can be reused without using one key for two algorithms. The first secret seals; all open
 * (rotation). The cookie name is bound as additional data: a seal cannot be replayed under another cookie name.
 * @see https://www.rfc-editor.org/rfc/rfc5869
 */
export class CookieSealer {
  readonly #secrets: readonly string[]
  readonly #aad: Uint8Array<ArrayBuffer>
  readonly #keys: Array<Promise<CryptoKey> | undefined> = []

  constructor(secrets: readonly string[], cookieName: string) {
    this.#secrets = secrets
    this.#aad = encode(cookieName)
  }

  /** base64url(iv || ciphertext || tag) of `payload` under the first secret's key. */
  async seal(payload: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: this.#aad },
      await this.#key(0),
      encode(payload),
    )
    const out = new Uint8Array(IV_BYTES + sealed.byteLength)
    out.set(iv)
    out.set(new Uint8Array(sealed), IV_BYTES)
    return encodeBase64Url(out)
  }

  /** The payload, and whether an older secret opened it (re-seal it); null when tampered, truncated or foreign. */
  async unseal(value: string): Promise<{ payload: string; rotated: boolean } | null> {
    const bytes = decodeBase64Url(value)
    if (bytes === undefined || bytes.length < MIN_SEAL_BYTES) return null
    const iv = bytes.subarray(0, IV_BYTES) as View
    const data = bytes.subarray(IV_BYTES) as View
    for (let i = 0; i < this.#secrets.length; i++) {
      try {
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv, additionalData: this.#aad },
          await this.#key(i),
          data,
        )
        return { payload: (decoder ??= new TextDecoder()).decode(plain), rotated: i > 0 }
      } catch {
        // Authentication failed under this key: try the next (older) one.
      }
    }
    return null
  }

  #key(index: number): Promise<CryptoKey> {
    let key = this.#keys[index]
    if (key === undefined) {
      key = crypto.subtle
        .importKey('raw', encode(this.#secrets[index]!), 'HKDF', false, ['deriveKey'])
        .then((base) =>
          crypto.subtle.deriveKey(
            { name: 'HKDF', hash: 'SHA-256', salt: encode('sess/sealed-cookie/v1'), info: encode('aes-256-gcm') },
            base,
            { name: 'AES-GCM', length: 256 },
            false,
            ['encrypt', 'decrypt'],
          ),
        )
      this.#keys[index] = key
    }
    return key
  }
}
