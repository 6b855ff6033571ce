const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const STANDARD = Array.from(ALPHABET, (ch) => ch.charCodeAt(0))
const URL_SAFE = Array.from(`${ALPHABET.slice(0, 62)}-_`, (ch) => ch.charCodeAt(0))
// Arguments per String.fromCharCode call, well under every engine's limit.
const CHUNK = 8192

/** Standard base64 without `=` padding (the format of express-session's cookie signatures). */
export function encodeBase64NoPad(bytes: Uint8Array): string {
  return encode(bytes, STANDARD)
}

/** URL-safe base64 without padding (session ids, sealed cookies). */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encode(bytes, URL_SAFE)
}

/**
 * Base64 without padding in the given alphabet, built from character codes: the result is one flat string (built
 * with `+=` it would be a rope of pieces, which costs memory where it is kept, e.g. as a session id Map key).
 */
function encode(bytes: Uint8Array, alphabet: number[]): string {
  const codes: number[] = []
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0)
    // 2, 3 or 4 characters: the last group of 1 or 2 bytes is not padded.
    const chars = Math.min(4, bytes.length - i + 1)
    for (let k = 0; k < chars; k++) codes.push(alphabet[(n >>> (18 - 6 * k)) & 63]!)
  }
  let out = ''
  for (let c = 0; c < codes.length; c += CHUNK) out += String.fromCharCode.apply(null, codes.slice(c, c + CHUNK))
  return out
}

// Character code → digit, built on the first decode rather than at load, so bundles that never decode (store apps:
// only sealed cookies are decoded) leave it out; a lookup is ~3× faster than ALPHABET.indexOf per character.
let decodeTable: Int8Array | undefined

function digits(): Int8Array {
  if (decodeTable === undefined) {
    decodeTable = new Int8Array(128).fill(-1)
    for (let i = 0; i < 64; i++) decodeTable[ALPHABET.charCodeAt(i)] = i
    decodeTable[45] = 62 // '-'
    decodeTable[95] = 63 // '_'
  }
  return decodeTable
}

/** Decodes unpadded base64url (or standard base64); undefined for anything malformed. Never throws. */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined
  const table = digits()
  const out = new Uint8Array(Math.floor((text.length * 3) / 4))
  let bits = 0
  let value = 0
  let o = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const digit = code < 128 ? (table[code] as number) : -1
    if (digit < 0) return undefined
    value = (value << 6) | digit
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (value >> bits) & 0xff
    }
  }
  return out
}
