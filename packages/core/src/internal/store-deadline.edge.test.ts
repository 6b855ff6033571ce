import { describe, expect, it } from 'vitest'
import { settle, wait } from './store-deadline.edge.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('edge store-call deadlines (a timer per call)', () => {
  it('expires a waiter at its deadline, once; settling it afterwards reports false', async () => {
    const expiredAfter: number[] = []
    const started = Date.now()
    const waiter = wait(20, () => void expiredAfter.push(Date.now() - started))
    await sleep(40)
    expect(expiredAfter).toHaveLength(1)
    expect(expiredAfter[0]).toBeGreaterThanOrEqual(19)
    expect(settle(waiter)).toBe(false)
  })

  it('settles a waiter before its deadline: true once, and expire never runs', async () => {
    let expired = false
    const waiter = wait(10, () => {
      expired = true
    })
    expect(settle(waiter)).toBe(true)
    expect(settle(waiter)).toBe(false)
    expect(waiter.timer).toBeUndefined()
    await sleep(25)
    expect(expired).toBe(false)
  })
})
