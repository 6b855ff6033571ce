// jsonb cannot hold U+0000 or a lone surrogate, which JSON and JavaScript strings allow. They are written as a
// private-use mark plus a letter instead, and the mark itself is escaped, so every string comes back unchanged.
const MARK = '\uE000'
// An escape in JSON text is a backslash preceded by an even number of backslashes (which escape each other).
const UNSTORABLE = /(?<!\\)((?:\\\\)*)\\u(0000|d[89a-f][0-9a-f]{2})/g
const MARKED = /\uE000(?:(0)|(1)|u([0-9a-f]{4}))/g

/** JSON text of `value` that jsonb accepts. */
export function toJSONText(value: unknown): string {
  const text = JSON.stringify(value)
  if (!text.includes(MARK) && !text.includes('\\u')) return text
  return text
    .replaceAll(MARK, `${MARK}1`)
    .replace(UNSTORABLE, (_, slashes: string, code: string) => `${slashes}${MARK}${code === '0000' ? '0' : `u${code}`}`)
}

/** The value `toJSONText` encoded; throws a SyntaxError on text that is not JSON. */
export function fromJSONText(text: string): unknown {
  if (!text.includes(MARK)) return JSON.parse(text)
  return JSON.parse(
    text.replace(MARKED, (_, nul: string | undefined, mark: string | undefined, code: string | undefined) =>
      nul ? '\\u0000' : mark ? MARK : `\\u${code}`,
    ),
  )
}
