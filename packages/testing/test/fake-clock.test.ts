import { describe, expect, it } from 'vitest'
import { fakeClock } from '../src/fake-clock.js'

describe('fakeClock', () => {
  it('starts where told and moves only on advance', () => {
    const clock = fakeClock(1000)
    expect(clock.now()).toBe(1000)
    expect(clock.now()).toBe(1000)
    clock.advance(250)
    expect(clock.now()).toBe(1250)
  })

  it('refuses to go backwards', () => {
    expect(() => fakeClock().advance(-1)).toThrow(RangeError)
  })
})
