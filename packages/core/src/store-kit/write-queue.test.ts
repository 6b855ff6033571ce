import { describe, expect, it } from 'vitest'
import { createWriteQueue } from './write-queue.js'

const deferred = (): { promise: Promise<void>; resolve: () => void } => {
  let resolve = (): void => {}
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

describe('createWriteQueue', () => {
  it('runs tasks for one id one after another, even after a rejection', async () => {
    const queue = createWriteQueue()
    const log: string[] = []
    const gate = deferred()
    const first = queue('a', async () => {
      log.push('1 start')
      await gate.promise
      log.push('1 end')
      throw new Error('boom')
    })
    const second = queue('a', async () => {
      log.push('2')
      return 2
    })
    await Promise.resolve()
    expect(log).toEqual(['1 start'])
    gate.resolve()
    await expect(first).rejects.toThrow('boom')
    await expect(second).resolves.toBe(2)
    expect(log).toEqual(['1 start', '1 end', '2'])
  })
  it('runs tasks for different ids concurrently', async () => {
    const queue = createWriteQueue()
    const gate = deferred()
    const log: string[] = []
    const a = queue('a', async () => {
      await gate.promise
      log.push('a')
    })
    const b = queue('b', async () => {
      log.push('b')
    })
    await b
    expect(log).toEqual(['b'])
    gate.resolve()
    await a
    expect(log).toEqual(['b', 'a'])
  })
})
