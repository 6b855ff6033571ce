import { setOwn } from '@sess/core'

// MongoDB cannot hold every JSON key as a field name: `.` splits update paths, a leading `$` is an operator, NUL
// ends a BSON cstring, an empty name is rejected in update paths, and the driver mistakes an object with a
// `_bsontype` key for a BSON value. Such keys are percent-escaped (and `%` itself, so the mapping is reversible);
// every other key is stored as it is, so documents stay readable and queryable.
const UNSAFE = /^$|^\$|[%.\0]|^_bsontype$/
const UNSAFE_CHARS = /^\$|[%.\0]|^_(?=bsontype$)/g
const ESCAPED = /%([0-9A-F]{2})/g
const EMPTY = '%'

const hex = (char: string): string => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`

/** The field name MongoDB stores for a JSON key. */
export function escapeKey(key: string): string {
  if (!UNSAFE.test(key)) return key
  return key === '' ? EMPTY : key.replace(UNSAFE_CHARS, hex)
}

/** The JSON key for a stored field name; malformed escapes (a hand-edited document) are left as they are. */
export function unescapeKey(field: string): string {
  if (!field.includes('%')) return field
  return field === EMPTY
    ? ''
    : field.replace(ESCAPED, (_, code: string) => String.fromCharCode(Number.parseInt(code, 16)))
}

// JSON's rules for what a value becomes, applied while escaping, so a value reads back as it would from a
// JSON-serializing store (Redis): toJSON() is honoured (Dates become strings), undefined, functions and symbols
// vanish from objects and become null in arrays, and non-finite numbers become null.
const dropped = (value: unknown): boolean =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol'

/** A JSON-safe value as MongoDB should store it. Subtrees that need no change are shared, not copied. */
export function toStored(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (value === null || typeof value !== 'object') return value
  const toJSON = (value as { toJSON?: unknown }).toJSON
  if (typeof toJSON === 'function') return toStored(toJSON.call(value, ''))
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      const stored = dropped(item) ? null : toStored(item)
      if (copy === undefined && stored !== item) copy = value.slice(0, i)
      copy?.push(stored)
    }
    return copy ?? value
  }
  const source = value as Record<string, unknown>
  const keys = Object.keys(source)
  // Class instances (a Map, a Uint8Array) become plain objects, as in JSON, never BSON types of their own.
  let copy: Record<string, unknown> | undefined = isPlain(source) ? undefined : {}
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const item = source[key]
    const field = escapeKey(key)
    const stored = dropped(item) ? undefined : toStored(item)
    if (copy === undefined && (field !== key || stored !== item)) {
      copy = {}
      for (const earlier of keys.slice(0, i)) setOwn(copy, earlier, source[earlier])
    }
    if (copy !== undefined && stored !== undefined) setOwn(copy, field, stored)
  }
  return copy ?? value
}

/**
 * Reverses {@link toStored}'s key escaping, in place: the driver hands out fresh objects on every read. Values
 * that are not plain objects or arrays (BSON types in a hand-edited document) are left alone.
 */
export function fromStored(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = fromStored(value[i])
      if (item !== value[i]) value[i] = item
    }
    return value
  }
  const source = value as Record<string, unknown>
  if (!isPlain(source)) return source
  const keys = Object.keys(source)
  if (!keys.some((key) => key.includes('%'))) {
    for (const key of keys) {
      const item = fromStored(source[key])
      if (item !== source[key]) source[key] = item
    }
    return source
  }
  const copy: Record<string, unknown> = {}
  for (const key of keys) setOwn(copy, unescapeKey(key), fromStored(source[key]))
  return copy
}

/** A plain object, as JSON.parse and the BSON deserializer make them. */
export function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
