import { SessionStateError } from '../errors.js'

/**
 * The one rule for session data, checked when it is written (so it holds for every store): a value must come back
 * from JSON as it went in. Allowed: strings, booleans, null, finite numbers, arrays of allowed values, plain objects
 * (an own property holding `undefined` is the same as no property), and objects with a `toJSON` method such as
 * `Date` (stored as what `toJSON` returns). Anything JSON would change or drop throws `DATA_NOT_SERIALIZABLE`:
 * `Map`, `Set`, `RegExp`, `Error` and other class instances, functions, symbols, BigInt, `NaN` and `Infinity`,
 * `undefined` or holes in arrays, cycles.
 */
export function assertSerializable(key: string, value: unknown): void {
  const problem = problemOf(value, [])
  if (problem === undefined) return
  throw new SessionStateError(
    'DATA_NOT_SERIALIZABLE',
    `[sess] Session key ${JSON.stringify(key)} holds ${problem}: store plain JSON data.`,
  )
}

function problemOf(value: unknown, ancestors: object[]): string | undefined {
  const type = typeof value
  if (type === 'string' || type === 'boolean' || value === null) return undefined
  if (type === 'number') return Number.isFinite(value) ? undefined : String(value)
  // undefined only reaches here inside an array (an object's undefined property is skipped).
  return type === 'object' ? objectProblem(value as object, ancestors) : `a value of type ${type}`
}

function objectProblem(value: object, ancestors: object[]): string | undefined {
  if (ancestors.includes(value)) return 'a cycle'
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined
  ancestors.push(value)
  let problem: string | undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && problem === undefined; i++) {
      problem = i in value ? problemOf(value[i], ancestors) : 'a hole in an array'
    }
  } else {
    const proto = Object.getPrototypeOf(value) as object | null
    if (proto !== Object.prototype && proto !== null) {
      problem = `a ${(proto as { constructor?: { name?: string } }).constructor?.name || 'class'} instance`
    }
    for (const key of Object.keys(value)) {
      if (problem !== undefined) break
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) problem = problemOf(v, ancestors)
    }
  }
  ancestors.pop()
  return problem
}
