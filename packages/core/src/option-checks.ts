import { invalidOption } from './errors.js'

/**
 * Every option of `createSessionManager`, in the order of the docs, with the type checked at setup where one check
 * fits (`''`: checked on its own, in `resolveOptions`).
 */
export const SESSION_OPTION_TYPES: Readonly<Record<string, OptionType | ''>> = {
  secret: '',
  store: '',
  cookie: 'object',
  cookiePrefix: 'string',
  idleTimeout: '',
  absoluteTimeout: '',
  touchAfter: '',
  rolling: 'boolean',
  saveUninitialized: 'boolean',
  strict: 'boolean',
  schema: '',
  onInvalidData: '',
  storeTimeout: '',
  failOpen: 'boolean',
  generateId: 'function',
  minSecretLength: '',
  hmacSync: 'function',
  onEvent: 'function',
  clock: 'object',
  device: 'object',
}

/** Every option name of `createSessionManager`, for typo detection. */
export const SESSION_OPTION_NAMES: readonly string[] = Object.keys(SESSION_OPTION_TYPES)

type OptionType = 'boolean' | 'function' | 'object' | 'string'

/** The known name closest to `name`: a case-insensitive edit distance of at most 2 (a typo). */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  const lower = name.toLowerCase()
  for (const candidate of known) {
    const d = distance(lower, candidate.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [candidate, d]
  }
  return best
}

/**
 * Throws `OPTION_INVALID` for an option name that is not in `known`, or that was removed (`sealed`: the error says
 * what replaces it). With `typosOnly`, only names within a small
 * edit distance of a known one are refused (an adapter may pass its framework's own options through).
 */
export function assertKnownOptions(
  options: object,
  known: readonly string[],
  settings: { where: string; typosOnly?: boolean },
): void {
  for (const name of Object.keys(options)) {
    if (name === 'sealed') throw invalidOption('Option sealed was removed: pass store: sealedCookie() instead.')
    if (known.includes(name)) continue
    const close = closestName(name, known)
    if (close === undefined && settings.typosOnly === true) continue
    throw invalidOption(
      `Unknown option '${name}' in ${settings.where}. ${close ? `Did you mean '${close}'?` : `Known: ${known}.`}`,
    )
  }
}

/** Throws `OPTION_INVALID` unless each named option is absent or of the given type. */
export function assertOptionTypes(
  options: Record<string, unknown>,
  types: Readonly<Record<string, OptionType | ''>>,
): void {
  for (const [name, type] of Object.entries(types)) {
    const value = options[name]
    if (value === undefined || type === '' || typeof value === type) continue
    if (type === 'object' && value !== null && typeof value === 'object') continue
    throw invalidOption(`Option ${name} must be of type ${type}; got ${JSON.stringify(value) ?? typeof value}.`)
  }
}

/** Levenshtein distance, one row at a time. */
function distance(a: string, b: string): number {
  let previous = [...Array(b.length + 1).keys()]
  for (let i = 0; i < a.length; i++) {
    const current = [i + 1]
    for (let j = 0; j < b.length; j++) {
      current.push(Math.min(previous[j + 1]! + 1, current[j]! + 1, previous[j]! + (a[i] === b[j] ? 0 : 1)))
    }
    previous = current
  }
  return previous[b.length]!
}
