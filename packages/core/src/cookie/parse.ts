/** Upper bound on same-name cookies considered, so a header stuffed with duplicates costs bounded work. */
export const MAX_COOKIE_CANDIDATES = 4

/**
 * Every value of the cookie `name` in a `Cookie` header, in header order (RFC 6265bis allows
 * duplicates, e.g. one cookie per path or domain; the caller tries each). Relaxed parsing:
 * malformed pairs and undecodable values are skipped, never thrown on.
 *
 * Reads a pair the way the `cookie` package's `parse` does (names and values trimmed of spaces and tabs,
 * percent-decoded), but keeps every duplicate where `parse` keeps the first, and unquotes a quoted value as
 * express-session's `cookie` 0.x did. Linear in the header's length, whatever it holds (issue 17.1): each `=`
 * and each `;` is looked up once.
 */
export function getCookieValues(header: string | null | undefined, name: string): string[] {
  const values: string[] = []
  if (!header) return values
  const length = header.length
  let start = 0
  let eq = -1
  while (start < length && values.length < MAX_COOKIE_CANDIDATES) {
    // The next `=` at or after `start`, reused while it lies beyond the segments that have none.
    if (eq < start) eq = header.indexOf('=', start)
    if (eq === -1) break
    let end = header.indexOf(';', start)
    if (end === -1) end = length
    if (eq > end) {
      // No `=` before this `;`: skip every segment without one in a single step.
      start = header.lastIndexOf(';', eq - 1) + 1
      continue
    }
    if (trimmed(header, start, eq) === name) {
      const value = decode(trimmed(header, eq + 1, end))
      if (value !== undefined && value !== '') values.push(value)
    }
    start = end + 1
  }
  return values
}

/** `header.slice(from, to)` without leading and trailing spaces and tabs. */
function trimmed(header: string, from: number, to: number): string {
  let start = from
  let end = to
  while (start < end && isBlank(header.charCodeAt(start))) start++
  while (end > start && isBlank(header.charCodeAt(end - 1))) end--
  return header.slice(start, end)
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9
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
