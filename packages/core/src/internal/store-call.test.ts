import { describe, expect, it } from 'vitest'
import { SessionStoreError } from '../errors.js'
import { callStore } from './store-call.js'

const never = <T>(): Promise<T> => new Promise<T>(() => {})
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
// Node's view of what keeps the event loop alive. Workers have no such method (it throws), and Bun's does not
// list timers, so the liveness test runs where the answer means something: Node (and Deno, which implements it).
const activeTimers = (): number | undefined => {
  if ((globalThis as { Bun?: unknown }).Bun !== undefined) return undefined
  const info = (globalThis as { process?: { getActiveResourcesInfo?: () => string[] } }).process?.getActiveResourcesInfo
  try {
    return info === undefined ? undefined : info().filter((r) => r === 'Timeout').length
  } catch {
    return undefined
  }
}

describe('callStore', () => {
  it('passes a value through', async () => {
    await expect(callStore('get', 5, async () => 42)).resolves.toBe(42)
    await expect(callStore('get', 0, async () => 'unbounded')).resolves.toBe('unbounded')
  })

  it('returns a synchronous answer as it is (an in-process store), and still wraps a throw as a rejection', async () => {
    const record = { data: {}, createdAt: 1, expiresAt: 2, version: 0 }
    expect(callStore('get', 5, () => record)).toBe(record)
    expect(callStore('get', 0, () => null)).toBeNull()
    expect(callStore('set', 5, () => undefined)).toBeUndefined()
    // A thenable that is not a native Promise is waited for like one.
    // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a native Promise is the case under test.
    const thenable = { then: (resolve: (v: number) => void) => resolve(7) }
    const answer = callStore('count', 5, () => thenable as unknown as Promise<number>)
    expect(answer).toBeInstanceOf(Promise)
    await expect(answer).resolves.toBe(7)
  })

  it('wraps a rejection or a synchronous throw as STORE_FAILURE with the cause', async () => {
    const cause = new Error('connection refused')
    for (const timeout of [0, 5]) {
      const rejected = await callStore('get', timeout, () => Promise.reject(cause)).catch((e: unknown) => e)
      expect(rejected).toBeInstanceOf(SessionStoreError)
      expect(rejected).toMatchObject({ code: 'STORE_FAILURE', operation: 'get', cause })
      const thrown = await callStore('set', timeout, () => {
        throw cause
      }).catch((e: unknown) => e)
      expect(thrown).toMatchObject({ code: 'STORE_FAILURE', operation: 'set', cause })
    }
  })

  it('keeps name, message, code and frames of the cause, but no command arguments, keys or quoted values', async () => {
    const id = 'Zk3hY0secret-session-id-0123456789'
    const data = '{"card":"4111-1111"}'
    const client = Object.assign(
      new Error(`ERR unknown command 'HSETX', with args beginning with: '${id}' '${data}'`),
      {
        name: 'ReplyError',
        code: 'ERR',
        command: { name: 'hsetx', args: [id, data] },
        keyValue: { _id: id },
        cause: Object.assign(new Error(`E11000 duplicate key error dup key: { _id: "${id}" }`), { errInfo: { data } }),
      },
    )
    const error = (await callStore('set', 0, () => Promise.reject(client)).catch((e: unknown) => e)) as Error
    expect(error).toMatchObject({ code: 'STORE_FAILURE', operation: 'set' })
    const cause = error.cause as Error & Record<string, unknown>
    expect(cause).toBeInstanceOf(Error)
    expect(cause.name).toBe('ReplyError')
    expect(cause.code).toBe('ERR')
    expect(cause.message).toBe("ERR unknown command '…', with args beginning with: '…' '…'")
    expect(cause.stack).toMatch(/^ReplyError: ERR unknown command/)
    expect(cause.stack).toMatch(/\n\s+at /)
    expect(Object.keys(cause)).toEqual(['code'])
    expect((cause.cause as Error).message).toBe('E11000 duplicate key error dup key: { _id: "…" }')
    expect(Object.keys(cause.cause as object)).toEqual([])
    const everything = JSON.stringify([cause.message, cause.stack, (cause.cause as Error).stack, Object.entries(cause)])
    expect(everything).not.toContain(id)
    expect(everything).not.toContain('4111')
  })

  it('times out each hanging call at its own deadline, never earlier', async () => {
    const started = Date.now()
    const settled: Array<[string, number]> = []
    const track = (name: string, p: unknown) =>
      (p as Promise<unknown>).catch((e: { code?: string }) => settled.push([`${name}:${e.code}`, Date.now() - started]))
    const a = track('a', callStore('get', 0.06, never))
    await sleep(40)
    const bStarted = Date.now() - started
    const b = track('b', callStore('get', 0.2, never))
    // A shorter bound started later expires before the longer one already waiting.
    const c = track('c', callStore('get', 0.02, never))
    const ok = callStore('get', 0.06, async () => 'fine')
    await Promise.all([a, b, c])
    await expect(ok).resolves.toBe('fine')
    expect(settled.map(([name]) => name)).toEqual(['a:STORE_TIMEOUT', 'c:STORE_TIMEOUT', 'b:STORE_TIMEOUT'])
    const at = Object.fromEntries(settled.map(([name, ms]) => [name.slice(0, 1), ms]))
    expect(at.a).toBeGreaterThanOrEqual(59)
    expect(at.c).toBeGreaterThanOrEqual(bStarted + 19)
    expect(at.b).toBeGreaterThanOrEqual(bStarted + 199)
  })

  it('ignores a call that settles after its timeout (no unhandled rejection, no late value)', async () => {
    let fail: (e: Error) => void = () => {}
    const late = new Promise<never>((_, reject) => {
      fail = reject
    })
    await expect(callStore('get', 0.01, () => late)).rejects.toMatchObject({ code: 'STORE_TIMEOUT' })
    fail(new Error('too late'))
    await sleep(5)
  })

  it.skipIf(activeTimers() === undefined)(
    'never holds the event loop open by itself, in flight or after (skipped where getActiveResourcesInfo lists no timers: Bun, Workers)',
    async () => {
      const before = activeTimers() ?? 0
      let finish: (v: string) => void = () => {}
      const call = callStore(
        'get',
        30,
        () =>
          new Promise<string>((resolve) => {
            finish = resolve
          }),
      )
      // A store's own socket keeps the process alive while it waits; the bound adds nothing that would.
      expect(activeTimers()).toBe(before)
      finish('done')
      await expect(call).resolves.toBe('done')
      expect(activeTimers()).toBe(before)
      await expect(callStore('get', 30, async () => 'again')).resolves.toBe('again')
      expect(activeTimers()).toBe(before)
    },
  )
})
