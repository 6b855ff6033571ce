/** The JSON path of one top-level key, quoted, so any key (dots, quotes, spaces, unicode) names itself. */
export function keyPath(key: string): string {
  return `$."${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** The JSON text of one data value; a value JSON cannot represent (a function) is a caller error. */
export function jsonText(key: string, value: unknown): string {
  const text = JSON.stringify(value)
  if (typeof text !== 'string') {
    throw new TypeError(`[sess] The session value of ${JSON.stringify(key)} cannot be stored as JSON.`)
  }
  return text
}
