import { expect, it } from 'vitest'

/** Invalid options, each with a label for the test title: `['an empty table name', { client, table: '' }]`. */
export type BadOptionCase = readonly [label: string, options: unknown]

/**
 * The invalid options every store built on core's `resolveCommonStoreOptions` rejects: none at all, no client, a
 * clock without `now()`, a sweep probability above 1 and a fractional sweep limit (the last three around `client`).
 */
export function commonBadStoreOptions(client: unknown): BadOptionCase[] {
  return [
    ['no options', undefined],
    ['no client', {}],
    ['a clock without now', { client, clock: {} }],
    ['a sweep probability above 1', { client, sweep: { probability: 2 } }],
    ['a fractional sweep limit', { client, sweep: { limit: 1.5 } }],
  ]
}

/**
 * Registers one test per case: `create(options)` throws a `SessionConfigError` with the code `OPTION_INVALID` and a
 * message that starts `[sess] [<packageName>] `.
 *
 * @example
 * ```ts
 * itRejectsEachOption('store-sqlite', sqliteStore, [
 *   ...commonBadStoreOptions(db),
 *   ['an empty table name', { client: db, table: '' }],
 * ])
 * ```
 */
export function itRejectsEachOption(
  packageName: string,
  create: (options: never) => unknown,
  cases: readonly BadOptionCase[],
): void {
  const message = new RegExp(`^\\[sess\\] \\[${packageName}\\] `)
  it.each(cases)('throws OPTION_INVALID for %s', (_, options) => {
    expect(() => create(options as never)).toThrow(
      expect.objectContaining({ code: 'OPTION_INVALID', message: expect.stringMatching(message) }),
    )
  })
}
