/** Upper bound on same-name cookies considered, so a header stuffed with duplicates costs bounded work. */
export const MAX_COOKIE_CANDIDATES = 4

/**
 * Every value of the cookie `name` in a `Cookie` header, in header order (RFC 6265bis allows
 * duplicates, e.g. one cookie per path or domain; the caller tries each). Relaxed parsing:
 * malformed pairs and undecodable values are skipped, never thrown on.
 */
export function getCookieValues(header: string | null | undefined, name: string): string[] {
  const values: string[] = []
  if (!header) return values
  const length = header.length
  let start = 0
  while (start < length && values.length < MAX_COOKIE_CANDIDATES) {
    let end = header.indexOf(';', start)
    if (end === -1) end = length
    const eq = header.indexOf('=', start)
    if (eq !== -1 && eq < end && header.slice(start, eq).trim() === name) {
      const value = decode(header.slice(eq + 1, end).trim())
      if (value !== undefined && value !== '') values.push(value)
    }
    start = end + 1
  }
  return values
}

function decode(raw: string): string | undefined {
  const value = raw.length >= 2 && raw.charCodeAt(0) === 34 && raw.endsWith('"') ? raw.slice(1, -1) : raw
  if (value.indexOf('%') === -1) return value
  try {
    return decodeURIComponent(value)
  } catch {
    return undefined
  }
}
