/**
 * Sets `obj[key] = value` as an own, enumerable data property. Unlike assignment, a key named `__proto__` stays
 * data instead of replacing the prototype, so data parsed from JSON round-trips unchanged. Use it wherever a store
 * or an adapter copies keys it did not choose (session data, patches).
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true })
  } else {
    obj[key] = value
  }
}
