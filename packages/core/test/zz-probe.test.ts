import { it } from 'vitest'
it('probe', () => {
  const g = globalThis as any
  console.log('PROBE', typeof g.Deno, typeof g.Bun, g.process?.versions?.node, g.process?.versions?.deno, g.process?.execPath, g.navigator?.userAgent)
})
