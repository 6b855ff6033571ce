import { describe, expect, it } from 'vitest'
import { toCallback } from './callback.js'

describe('toCallback', () => {
  it('calls back with (null, value) or (error), after the promise settles', async () => {
    const calls: unknown[][] = []
    toCallback(
      () => Promise.resolve(7),
      (...args) => calls.push(args),
    )
    const failure = new Error('down')
    toCallback(
      () => Promise.reject(failure),
      (...args) => calls.push(args),
    )
    expect(calls).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(calls).toEqual([[null, 7], [failure]])
  })
  it('drops the outcome without a callback, a rejection included', async () => {
    toCallback(() => Promise.reject(new Error('ignored')), undefined)
    await new Promise((resolve) => setTimeout(resolve, 0))
  })
})
