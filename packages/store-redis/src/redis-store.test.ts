import { createHash } from 'node:crypto'
import { hashSessionId } from '@sess/core'
import type { StoredSession } from '@sess/core'
import { describe, expect, it } from 'vitest'
import { decodeRecord, encodeRecord } from './internal/codec.js'
import { escapeGlob } from './internal/keys.js'
import { PATCH, READ, SET } from './internal/scripts.js'
import { redisStore } from './redis-store.js'

type Reply = (args: string[]) => unknown

/** A node-redis-shaped fake: records every command and answers with `reply`. */
function fakeNodeRedis(reply: Reply = () => null) {
  const sent: string[][] = []
  return {
    sent,
    client: {
      async sendCommand(args: string[]) {
        sent.push(args)
        return reply(args)
      },
    },
  }
}

const chunk = (flat: string[]): Array<[string, string]> =>
  Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!])

const record = (overrides: Partial<StoredSession> = {}): StoredSession => ({
  data: { views: 1, cart: { items: ['a'] } },
  createdAt: 1_700_000_000_000,
  expiresAt: 4_000_000_000_000.5,
  version: 2,
  ...overrides,
})

describe('record encoding', () => {
  it('puts meta fields and one field per top-level key, and decodes them back', () => {
    const r = record({ userId: 'u-1', maxAge: null, data: { a: 1, '': 'empty', 'd:x': [1] } })
    Object.defineProperty(r.data, '__proto__', { value: { p: 1 }, enumerable: true })
    const fields = encodeRecord(r, JSON)
    expect(fields).toEqual([
      'createdAt',
      '1700000000000',
      'expiresAt',
      '4000000000000.5',
      'version',
      '2',
      'userId',
      'u-1',
      'maxAge',
      'null',
      'd:a',
      '1',
      'd:',
      '"empty"',
      'd:d:x',
      '[1]',
      'd:__proto__',
      '{"p":1}',
    ])
    const back = decodeRecord(fields, JSON)
    expect(back).toEqual(r)
    expect(Object.getPrototypeOf(back?.data)).toBe(Object.prototype)
    expect(Object.hasOwn(back?.data ?? {}, '__proto__')).toBe(true)
  })

  it('rejects anything that is not one of its records, whole', () => {
    const good = encodeRecord(record(), JSON)
    expect(decodeRecord(good, JSON)).toBeDefined()
    const without = (field: string): string[] => {
      const i = good.indexOf(field)
      return [...good.slice(0, i), ...good.slice(i + 2)]
    }
    expect(decodeRecord(without('createdAt'), JSON)).toBeUndefined()
    expect(decodeRecord(without('version'), JSON)).toBeUndefined()
    expect(decodeRecord([...good, 'stranger', '1'], JSON)).toBeUndefined()
    expect(decodeRecord([...good, 'd:bad', '{'], JSON)).toBeUndefined()
    expect(decodeRecord([...good, 'maxAge', 'soon'], JSON)).toBeUndefined()
    expect(
      decodeRecord(
        good.map((v) => (v === '1700000000000' ? '' : v)),
        JSON,
      ),
    ).toBeUndefined()
    expect(decodeRecord(good.slice(1), JSON)).toBeUndefined()
    expect(decodeRecord([...good.slice(0, -1), 42], JSON)).toBeUndefined()
  })

  it('applies the serializer to data values only', () => {
    const upper = {
      stringify: (v: unknown) => `<${JSON.stringify(v)}>`,
      parse: (t: string) => JSON.parse(t.slice(1, -1)),
    }
    const fields = encodeRecord(record({ data: { a: 'x' } }), upper)
    expect(fields.slice(-2)).toEqual(['d:a', '<"x">'])
    expect(fields[1]).toBe('1700000000000')
    expect(decodeRecord(fields, upper)?.data).toEqual({ a: 'x' })
  })
})

describe('escapeGlob', () => {
  it('escapes every SCAN pattern metacharacter', () => {
    expect(escapeGlob('a*b?c[d]e\\f:g')).toBe('a\\*b\\?c\\[d\\]e\\\\f:g')
  })
})

describe('redisStore with a fake client', () => {
  it('reads with one EVALSHA on prefix + id and falls back to EVAL on NOSCRIPT', async () => {
    let cached = false
    const fake = fakeNodeRedis((args) => {
      if (args[0] === 'EVALSHA' && !cached) throw new Error('NOSCRIPT No matching script. Please use EVAL.')
      cached = true
      return [...encodeRecord(record(), JSON), '']
    })
    const store = redisStore({ client: fake.client, prefix: 'app:' })
    expect(await store.getAndTouch('id-1', { now: 1, idleTimeout: 60, absoluteTimeout: null, touchAfter: 6 })).toEqual({
      session: record(),
      touched: false,
    })
    expect(fake.sent.map((c) => c.slice(0, 4))).toEqual([
      ['EVALSHA', READ.sha, '1', 'app:id-1'],
      ['EVAL', READ.source, '1', 'app:id-1'],
    ])
    expect(fake.sent[1]?.slice(4)).toEqual(['1', '1', '60', '', '6', 'app:user:', 'id-1'])
    await store.get('id-1')
    expect(fake.sent).toHaveLength(3)
    expect(fake.sent[2]?.[0]).toBe('EVALSHA')
  })

  it('passes other errors through for the core to wrap', async () => {
    const store = redisStore({ client: fakeNodeRedis(() => Promise.reject(new Error('READONLY'))).client })
    await expect(store.get('x')).rejects.toThrow('READONLY')
  })

  it('answers null for no key or a record past its expiresAt', async () => {
    for (const reply of [0, [...encodeRecord(record({ expiresAt: 5 }), JSON), '']]) {
      const store = redisStore({ client: fakeNodeRedis(() => reply).client })
      expect(await store.get('x')).toBeNull()
    }
  })

  it('reports a foreign type or an undecodable hash as an invalid record, with a reason', async () => {
    const INVALID = Symbol.for('@sess/core/invalid-record')
    const cases: Array<[unknown, string]> = [
      [1, 'not a hash'],
      [['foo', 'bar', ''], 'undecodable fields'],
    ]
    for (const [reply, reason] of cases) {
      const store = redisStore({ client: fakeNodeRedis(() => reply).client })
      expect(((await store.get('x')) as unknown as Record<symbol, unknown>)[INVALID]).toBe(reason)
    }
  })

  it('sends a patch as fields to set and delete, with user and maxAge operations', async () => {
    const fake = fakeNodeRedis(() => 'ok')
    const store = redisStore({ client: fake.client })
    const patch = { set: { a: 1, b: { c: [2] } }, unset: ['gone'], expiresAt: 2000.5, expectedVersion: 3 }
    expect(await store.patch('id', { ...patch, userId: 'u', maxAge: null }, 2)).toBe('ok')
    const [command] = fake.sent
    expect(command?.slice(0, 4)).toEqual(['EVALSHA', PATCH.sha, '1', 'sess:id'])
    const args = command!.slice(5)
    expect(args).toEqual([
      '2000.5',
      '2001',
      '3',
      '=',
      'u',
      'null',
      'sess:',
      'sess:user:',
      'id',
      '2',
      'd:a',
      '1',
      'd:b',
      '{"c":[2]}',
      'd:gone',
    ])
    await store.patch('id', { set: {}, unset: [], expiresAt: 2000, userId: null }, 2)
    expect(fake.sent[1]?.slice(5, 11)).toEqual(['2000', '2000', '', '-', '', ''])
  })

  it('maps the patch script’s answers', async () => {
    for (const [reply, result] of [
      ['ok', 'ok'],
      ['conflict', 'conflict'],
      ['missing', 'missing'],
      [null, 'missing'],
    ]) {
      const store = redisStore({ client: fakeNodeRedis(() => reply).client })
      expect(await store.patch('id', { set: {}, unset: [], expiresAt: 1 }, 1)).toBe(result)
    }
  })

  it('hashIds: every key and index entry uses core’s hashSessionId of the id; listed ids carry a # mark', async () => {
    const fake = fakeNodeRedis(() => 1)
    const store = redisStore({ client: fake.client, hashIds: true })
    const hex = createHash('sha256').update('secret-id').digest('hex')
    await store.set('secret-id', record({ userId: 'u' }), 60)
    expect(fake.sent[0]?.slice(0, 4)).toEqual(['EVALSHA', SET.sha, '1', `sess:${hex}`])
    expect(fake.sent[0]).not.toContain('secret-id')
    expect(await hashSessionId('secret-id')).toBe(hex)
    await store.destroy(`#${hex}`)
    await store.destroy('secret-id')
    expect(fake.sent[1]?.[3]).toBe(`sess:${hex}`)
    expect(fake.sent[2]?.[3]).toBe(`sess:${hex}`)
  })

  it('never writes a key without a TTL: the set carries PEXPIREAT at the rounded-up expiresAt', async () => {
    const fake = fakeNodeRedis(() => 1)
    await redisStore({ client: fake.client }).set('id', record(), 3600)
    expect(fake.sent[0]?.[4]).toBe('4000000000001')
  })

  it('count and clear walk SCAN with the escaped prefix, and count only hashes that decode as live records', async () => {
    const pages: Record<string, [string, string[]]> = {
      '0': ['7', ['p*:a', 'p*:b', 'p*:old']],
      '7': ['0', ['p*:b', 'p*:c', 'p*:bad']],
    }
    const hashes: Record<string, unknown> = {
      'p*:a': encodeRecord(record(), JSON),
      'p*:b': new Map(chunk(encodeRecord(record(), JSON))),
      'p*:c': Object.fromEntries(chunk(encodeRecord(record(), JSON))),
      'p*:old': encodeRecord(record({ expiresAt: 5 }), JSON),
      'p*:bad': ['createdAt', '', 'expiresAt', 'x', 'version', '1'],
    }
    const fake = fakeNodeRedis((args) =>
      args[0] === 'SCAN' ? pages[args[1]!] : args[0] === 'HGETALL' ? hashes[args[1]!] : 1,
    )
    const store = redisStore({ client: fake.client, prefix: 'p*:' })
    expect(await store.count()).toBe(3)
    expect(fake.sent[0]).toEqual(['SCAN', '0', 'MATCH', 'p\\*:*', 'COUNT', '1000', 'TYPE', 'hash'])
    fake.sent.length = 0
    await store.clear()
    expect(fake.sent.filter((c) => c[0] === 'UNLINK')).toEqual([
      ['UNLINK', 'p*:a', 'p*:b', 'p*:old'],
      ['UNLINK', 'p*:b', 'p*:c', 'p*:bad'],
    ])
  })
})

describe('client detection', () => {
  const session = [...encodeRecord(record(), JSON), '']

  it('recognises a node-redis cluster and routes each command by its key', async () => {
    const routed: Array<[string | undefined, string[]]> = []
    const node = { sendCommand: async () => ['0', ['sess:a']] }
    const client = {
      masters: [{ id: 1 }, { id: 2 }],
      nodeClient: async () => node,
      async sendCommand(key: string | undefined, _readonly: boolean | undefined, args: string[]) {
        routed.push([key, args])
        return args[0] === 'HGETALL' ? encodeRecord(record(), JSON) : 1
      },
    }
    const store = redisStore({ client })
    await store.set('a', record({ userId: 'u' }), 60)
    // Cluster: the session script maintains no index; the index update goes to its own slot.
    expect(routed.map(([key, args]) => [key, args[0], args.length > 6 ? args[6] : undefined])).toEqual([
      ['sess:a', 'EVALSHA', ''],
      ['sess:user:u', 'EVALSHA', undefined],
    ])
    expect(await store.count()).toBe(1)
    await store.destroy('a')
    expect(routed.at(-1)).toEqual(['sess:a', ['UNLINK', 'sess:a']])
  })

  it('recognises a node-redis Sentinel client', async () => {
    const calls: unknown[][] = []
    const client = {
      getSentinelNode: () => undefined,
      async sendCommand(readonly: boolean | undefined, args: string[]) {
        calls.push([readonly, args[0]])
        return session
      },
    }
    expect(await redisStore({ client }).get('a')).toEqual(record())
    expect(calls).toEqual([[false, 'EVALSHA']])
  })

  it('recognises ioredis, standalone and Cluster', async () => {
    const calls: string[][] = []
    const call = async (...args: string[]) => (calls.push(args), args[0] === 'HGETALL' ? session.slice(0, -1) : session)
    expect(await redisStore({ client: { call } }).get('a')).toEqual(record())
    expect(calls[0]?.slice(0, 4)).toEqual(['EVALSHA', READ.sha, '1', 'sess:a'])
    const scans: string[][] = []
    const node = { call: async (...args: string[]) => (scans.push(args), ['0', ['sess:x']]) }
    const cluster = { call, isCluster: true, nodes: () => [node, node] }
    expect(await redisStore({ client: cluster }).count()).toBe(1)
    expect(scans).toHaveLength(2)
  })

  it('rejects what it cannot use, at setup', () => {
    const client = fakeNodeRedis().client
    const code = (run: () => unknown): unknown => {
      try {
        run()
      } catch (error) {
        return (error as { code?: string }).code
      }
      return 'no error'
    }
    expect(code(() => redisStore({ client: {} as never }))).toBe('OPTION_INVALID')
    expect(code(() => redisStore({ client: null as never }))).toBe('OPTION_INVALID')
    expect(code(() => redisStore({ client, prefix: '' }))).toBe('OPTION_INVALID')
    expect(code(() => redisStore({ client, serializer: {} as never }))).toBe('OPTION_INVALID')
    expect(code(() => redisStore({ client: { call: async () => 1, options: { keyPrefix: 'x:' } } as never }))).toBe(
      'OPTION_INVALID',
    )
    expect(code(() => redisStore(undefined as never))).toBe('OPTION_INVALID')
    expect(code(() => redisStore({ client }))).toBe('no error')
  })
})
