import type { StoredSession } from '@sess/core'
import { hashSessionId, recordProblem, SessionConfigError } from '@sess/core'
import type { Collection, Db } from 'mongodb'
import { BSON } from 'mongodb'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { SessionDocument } from './internal/document.js'
import { soundFilter } from './internal/filter.js'
import type { MongoStore } from './mongo-store.js'
import { mongoStore } from './mongo-store.js'

const NOW = 1_700_000_000_000
const clock = { now: () => NOW }
const sound = soundFilter(new Date(NOW))
const READ = { promoteValues: true, promoteLongs: true, useBigInt64: false }
const ACK = { acknowledged: true, matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null }

type Call = [method: string, ...args: unknown[]]
type Answers = Partial<Record<string, (...args: unknown[]) => unknown>>

/** A Collection that records every call (filter, update, options) and answers from `answers`. */
function fakeCollection(answers: Answers = {}) {
  const calls: Call[] = []
  const method =
    (name: string, fallback: unknown) =>
    (...args: unknown[]): Promise<unknown> => {
      calls.push([name, ...args])
      const answer = answers[name]
      return Promise.resolve().then(() => (answer ? answer(...args) : fallback))
    }
  const fake = {
    findOne: method('findOne', null),
    find: (...args: unknown[]) => {
      calls.push(['find', ...args])
      return { toArray: async () => answers.find?.(...args) ?? [] }
    },
    replaceOne: method('replaceOne', { ...ACK, matchedCount: 0, modifiedCount: 0, upsertedCount: 1 }),
    updateOne: method('updateOne', ACK),
    deleteOne: method('deleteOne', { acknowledged: true, deletedCount: 1 }),
    deleteMany: method('deleteMany', { acknowledged: true, deletedCount: 0 }),
    countDocuments: method('countDocuments', 0),
    createIndexes: method('createIndexes', ['expiresAt_1', 'userId_1']),
  }
  return { collection: fake as unknown as Collection<SessionDocument>, calls }
}

function setup(answers?: Answers, hashIds = false): { store: MongoStore; calls: Call[] } {
  const { collection, calls } = fakeCollection(answers)
  return { store: mongoStore({ collection, clock, hashIds }), calls }
}

const record = (overrides: Partial<StoredSession> = {}): StoredSession => ({
  data: { views: 1 },
  createdAt: NOW - 60_000,
  expiresAt: NOW + 3_600_000,
  version: 3,
  ...overrides,
})

const doc = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  _id: 'sid',
  data: { views: 1 },
  expiresAt: new Date(NOW + 3_600_000),
  createdAt: new Date(NOW - 60_000),
  version: 3,
  ...overrides,
})

describe('mongoStore options', () => {
  it('takes a collection, or a db and a collection name (default "sessions"), and never connects', () => {
    const { collection } = fakeCollection()
    expect(mongoStore({ collection }).collection).toBe(collection)
    const names: string[] = []
    const db = { collection: (name: string) => (names.push(name), collection) } as unknown as Db
    mongoStore({ db })
    mongoStore({ db, collectionName: 'web_sessions' })
    expect(names).toEqual(['sessions', 'web_sessions'])
  })

  it('rejects neither or both with OPTION_INVALID', () => {
    const { collection } = fakeCollection()
    const db = { collection: () => collection } as unknown as Db
    for (const options of [{}, { collection, db }]) {
      const fail = () => mongoStore(options as never)
      expect(fail).toThrow(SessionConfigError)
      expect(fail).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }))
    }
  })

  it('accepts the collections apps have: untyped, or typed with the session document', () => {
    // Compile-time checks (typecheck runs over the tests): these calls must type-check as written.
    const fromUntyped = (db: Db) => mongoStore({ collection: db.collection('sessions') })
    const fromTyped = (db: Db) => mongoStore({ collection: db.collection<SessionDocument>('sessions') })
    expectTypeOf(fromUntyped).returns.toEqualTypeOf<MongoStore>()
    expectTypeOf(fromTyped).returns.toEqualTypeOf<MongoStore>()
  })

  it('implements every optional capability except getAndTouch (see the README for why)', () => {
    const { store } = setup()
    for (const name of ['touch', 'patch', 'listByUser', 'destroyByUser', 'clear', 'count', 'ensureIndexes']) {
      expect(typeof (store as unknown as Record<string, unknown>)[name]).toBe('function')
    }
    expect('getAndTouch' in store).toBe(false)
  })
})

describe('ensureIndexes', () => {
  it('creates the TTL index and the partial user index with the same spec every time', async () => {
    const { store, calls } = setup()
    await store.ensureIndexes()
    await store.ensureIndexes()
    const spec = [
      { key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 0 },
      { key: { userId: 1 }, name: 'userId_1', partialFilterExpression: { userId: { $exists: true } } },
    ]
    expect(calls).toEqual([
      ['createIndexes', spec],
      ['createIndexes', spec],
    ])
  })

  it('is never called on the hot path', async () => {
    const { store, calls } = setup()
    await store.set('sid', record(), 3600)
    await store.get('sid')
    await store.patch('sid', { set: { a: 1 }, unset: [], expiresAt: NOW + 1000 }, 1)
    expect(calls.map(([method]) => method)).toEqual(['replaceOne', 'findOne', 'updateOne'])
  })
})

describe('get', () => {
  it('finds by _id and maps Dates to epoch ms', async () => {
    const { store, calls } = setup({
      findOne: () => doc({ data: { 'a%2Eb': { '%24c': 1 } }, userId: 'u1', maxAge: null }),
    })
    expect(await store.get('sid')).toEqual({
      data: { 'a.b': { $c: 1 } },
      createdAt: NOW - 60_000,
      expiresAt: NOW + 3_600_000,
      version: 3,
      userId: 'u1',
      maxAge: null,
    })
    expect(calls).toEqual([['findOne', { _id: 'sid' }, READ]])
  })

  it('leaves userId and maxAge out when the document has none; null for no document or one past expiresAt', async () => {
    const { store } = setup({ findOne: () => doc() })
    const got = await store.get('sid')
    expect(got).not.toHaveProperty('userId')
    expect(got).not.toHaveProperty('maxAge')
    expect(await setup().store.get('sid')).toBeNull()
    expect(await setup({ findOne: () => doc({ expiresAt: new Date(NOW) }) }).store.get('sid')).toBeNull()
    expect(await setup({ findOne: () => doc({ expiresAt: new Date(NOW + 1) }) }).store.get('sid')).not.toBeNull()
  })

  it.each([
    ['a string', 'not a document'],
    ['data as a JSON string', doc({ data: '{"views":1}' })],
    ['data as an array', doc({ data: [1] })],
    ['data as a Date', doc({ data: new Date(NOW) })],
    ['no data', doc({ data: undefined })],
    ['expiresAt as epoch ms', doc({ expiresAt: NOW + 1000 })],
    ['expiresAt as a string', doc({ expiresAt: new Date(NOW + 1000).toISOString() })],
    ['an invalid Date', doc({ expiresAt: new Date(Number.NaN) })],
    ['no createdAt', doc({ createdAt: undefined })],
    ['no version', doc({ version: undefined })],
    ['version as a string', doc({ version: '3' })],
    ['userId as a number', doc({ userId: 42 })],
    ['maxAge as a string', doc({ maxAge: '60' })],
    ['data as null', doc({ data: null })],
    ['nulls everywhere', doc({ data: null, expiresAt: null, createdAt: null, version: null })],
  ])('answers invalidRecord (record-invalid), without throwing, for a document with %s', async (_, found) => {
    const { store } = setup({ findOne: () => found })
    const got = await store.get('sid')
    expect(got).not.toBeNull()
    expect(recordProblem(got)).toEqual(expect.any(String))
  })

  it('lets driver errors through unwrapped (the core wraps them, bounded by storeTimeout)', async () => {
    const failure = new Error('connection refused')
    const { store } = setup({
      findOne: () => {
        throw failure
      },
    })
    await expect(store.get('sid')).rejects.toBe(failure)
  })
})

describe('set', () => {
  it('replaces the whole document by _id with an upsert, data as an escaped sub-document', async () => {
    const { store, calls } = setup()
    const data = { 'a.b': 1, $where: 'x', list: [{ '': 1 }], nested: { 'c.d': { e: null } }, '': 'empty' }
    const before = structuredClone(data)
    await store.set('sid', record({ data, userId: 'u1', maxAge: 600 }), 3600)
    expect(calls).toEqual([
      [
        'replaceOne',
        { _id: 'sid' },
        {
          data: { 'a%2Eb': 1, '%24where': 'x', list: [{ '%': 1 }], nested: { 'c%2Ed': { e: null } }, '%': 'empty' },
          expiresAt: new Date(NOW + 3_600_000),
          createdAt: new Date(NOW - 60_000),
          version: 3,
          userId: 'u1',
          maxAge: 600,
        },
        { upsert: true },
      ],
    ])
    expect(data).toEqual(before)
  })

  it('writes no userId when unbound (the user index is partial), and keeps maxAge null', async () => {
    const { store, calls } = setup()
    await store.set('sid', record({ maxAge: null }), 3600)
    const written = calls[0]![2] as Record<string, unknown>
    expect(written).not.toHaveProperty('userId')
    expect(written.maxAge).toBeNull()
  })

  it('retries once when a concurrent upsert of the same new id wins the insert', async () => {
    let attempts = 0
    const duplicate = Object.assign(new Error('E11000 duplicate key'), { code: 11000 })
    const { store, calls } = setup({
      replaceOne: () => {
        if (++attempts === 1) throw duplicate
        return ACK
      },
    })
    await store.set('sid', record(), 3600)
    expect(calls.map(([method]) => method)).toEqual(['replaceOne', 'replaceOne'])
    const always = setup({
      replaceOne: () => {
        throw duplicate
      },
    })
    await expect(always.store.set('sid', record(), 3600)).rejects.toBe(duplicate)
    expect(always.calls).toHaveLength(2)
    const other = setup({
      replaceOne: () => {
        throw new Error('other')
      },
    })
    await expect(other.store.set('sid', record(), 3600)).rejects.toThrow('other')
    expect(other.calls).toHaveLength(1)
  })

  it('produces documents the real BSON encoder accepts and that read back equal (JSON types, unicode, NUL)', async () => {
    const data = {
      string: 'text',
      control: 'tab\there\nnewline\u0000nul',
      int: 42,
      float: 0.1 + 0.2,
      big: Number.MAX_SAFE_INTEGER,
      nothing: null,
      list: [1, 'two', { three: [3] }, [], null, false],
      'ключ 🔑': '👩‍👩‍👧‍👦',
      'dotted.key': { $dollar: { 'nul\0key': '' } },
      _bsontype: 'not a BSON type',
    }
    const input = record({ data, userId: 'u', maxAge: null })
    const { store, calls } = setup()
    await store.set('sid', input, 3600)
    const written = calls[0]![2] as Record<string, unknown>
    const bytes = BSON.serialize({ _id: 'sid', ...written })
    const read = BSON.deserialize(bytes)
    expect(read.expiresAt).toBeInstanceOf(Date)
    const back = await setup({ findOne: () => read }).store.get('sid')
    expect(back).toEqual(input)
  })
})

describe('destroy / touch', () => {
  it('destroy deletes one document by _id', async () => {
    const { store, calls } = setup()
    await store.destroy('sid')
    expect(calls).toEqual([['deleteOne', { _id: 'sid' }]])
  })

  it('touch sets only expiresAt, only on an unexpired document, and never upserts', async () => {
    const { store, calls } = setup({ updateOne: () => ({ ...ACK, matchedCount: 0, modifiedCount: 0 }) })
    await store.touch('sid', NOW + 7_200_000, 7200)
    expect(calls).toEqual([['updateOne', { _id: 'sid', ...sound }, { $set: { expiresAt: new Date(NOW + 7_200_000) } }]])
  })
})

describe('patch', () => {
  const expiresAt = NOW + 7_200_000

  it('is one updateOne with $set/$unset on data.<escaped key>, the expiry and $inc version, without upsert', async () => {
    const { store, calls } = setup()
    const result = await store.patch(
      'sid',
      { set: { a: 1, 'b.c': { 'd.e': [1] }, $op: null }, unset: ['gone', '$old', ''], expiresAt },
      7200,
    )
    expect(result).toBe('ok')
    expect(calls).toEqual([
      [
        'updateOne',
        { _id: 'sid', ...sound },
        {
          $set: {
            expiresAt: new Date(expiresAt),
            'data.a': 1,
            'data.b%2Ec': { 'd%2Ee': [1] },
            'data.%24op': null,
          },
          $unset: { 'data.gone': '', 'data.%24old': '', 'data.%': '' },
          $inc: { version: 1 },
        },
      ],
    ])
  })

  it('sends no $unset when nothing is removed, and treats an undefined value as a removal', async () => {
    const { store, calls } = setup()
    await store.patch('sid', { set: { a: 1 }, unset: [], expiresAt }, 7200)
    await store.patch('sid', { set: { a: undefined }, unset: [], expiresAt }, 7200)
    expect(calls.map((call) => call[2])).toEqual([
      { $set: { expiresAt: new Date(expiresAt), 'data.a': 1 }, $inc: { version: 1 } },
      { $set: { expiresAt: new Date(expiresAt) }, $unset: { 'data.a': '' }, $inc: { version: 1 } },
    ])
  })

  it('sets userId and maxAge when given, unsets userId on null, keeps maxAge null', async () => {
    const { store, calls } = setup()
    await store.patch('sid', { set: {}, unset: [], expiresAt, userId: 'u1', maxAge: 600 }, 7200)
    await store.patch('sid', { set: {}, unset: [], expiresAt, userId: null, maxAge: null }, 7200)
    expect(calls.map((call) => call[2])).toEqual([
      { $set: { expiresAt: new Date(expiresAt), userId: 'u1', maxAge: 600 }, $inc: { version: 1 } },
      { $set: { expiresAt: new Date(expiresAt), maxAge: null }, $unset: { userId: '' }, $inc: { version: 1 } },
    ])
  })

  it('answers missing when nothing matched, with no second query outside strict mode', async () => {
    const { store, calls } = setup({ updateOne: () => ({ ...ACK, matchedCount: 0, modifiedCount: 0 }) })
    expect(await store.patch('sid', { set: { a: 1 }, unset: [], expiresAt }, 7200)).toBe('missing')
    expect(calls.map(([method]) => method)).toEqual(['updateOne'])
  })

  it('in strict mode filters on the version, and tells conflict from missing with one findOne', async () => {
    const miss = { ...ACK, matchedCount: 0, modifiedCount: 0 }
    const strict = { set: { a: 1 }, unset: [], expiresAt, expectedVersion: 3 }

    const ok = setup()
    expect(await ok.store.patch('sid', strict, 7200)).toBe('ok')
    expect(ok.calls[0]![1]).toEqual({ _id: 'sid', ...sound, version: { ...sound.version, $eq: 3 } })
    expect(ok.calls).toHaveLength(1)

    const conflict = setup({ updateOne: () => miss, findOne: () => ({ _id: 'sid' }) })
    expect(await conflict.store.patch('sid', strict, 7200)).toBe('conflict')
    expect(conflict.calls[1]).toEqual(['findOne', { _id: 'sid', ...sound }, { projection: { _id: 1 } }])

    const missing = setup({ updateOne: () => miss })
    expect(await missing.store.patch('sid', strict, 7200)).toBe('missing')
    expect(missing.calls).toHaveLength(2)
  })

  it('compares version 0 like any other version', async () => {
    const { store, calls } = setup()
    await store.patch('sid', { set: {}, unset: [], expiresAt, expectedVersion: 0 }, 7200)
    expect(calls[0]![1]).toEqual({ _id: 'sid', ...sound, version: { ...sound.version, $eq: 0 } })
  })
})

describe('per-user index, clear, count', () => {
  it('listByUser finds the user’s unexpired documents, skipping any with an unexpected shape', async () => {
    const { store, calls } = setup({
      find: () => [
        doc({ _id: 'one', userId: 'u1' }),
        doc({ _id: 'bad', data: 'x' }),
        doc({ _id: 'two', userId: 'u1' }),
      ],
    })
    const list = await store.listByUser('u1')
    expect(list.map((s) => s.id)).toEqual(['one', 'two'])
    expect(list[0]?.session).toMatchObject({ userId: 'u1', data: { views: 1 }, expiresAt: NOW + 3_600_000 })
    expect(calls).toEqual([['find', { userId: 'u1', ...sound }, READ]])
  })

  it('destroyByUser deletes the user’s unexpired documents, except one, and answers deletedCount', async () => {
    const { store, calls } = setup({ deleteMany: () => ({ acknowledged: true, deletedCount: 2 }) })
    expect(await store.destroyByUser('u1')).toBe(2)
    await store.destroyByUser('u1', { except: 'keep' })
    expect(calls).toEqual([
      ['deleteMany', { userId: 'u1', ...sound }],
      ['deleteMany', { userId: 'u1', ...sound, _id: { $ne: 'keep' } }],
    ])
  })

  it('clear deletes every document of the collection (keeping its indexes); count counts unexpired ones', async () => {
    const { store, calls } = setup({ countDocuments: () => 7 })
    await store.clear()
    expect(await store.count()).toBe(7)
    expect(calls).toEqual([
      ['deleteMany', {}],
      ['countDocuments', sound],
    ])
  })
})

describe('hashIds', () => {
  it('stores and finds every document under core’s hashSessionId; the raw id is never sent', async () => {
    const id = 'raw-session-id'
    const hash = await hashSessionId(id)
    const { store, calls } = setup({ find: () => [doc({ _id: hash, userId: 'u1' })] }, true)
    await store.set(id, record({ userId: 'u1' }), 3600)
    await store.get(id)
    await store.touch(id, NOW + 1000, 1)
    await store.patch(id, { set: { a: 1 }, unset: [], expiresAt: NOW + 1000, expectedVersion: 3 }, 1)
    await store.destroy(id)
    await store.destroyByUser('u1', { except: id })
    expect(calls.map((call) => (call[1] as { _id: unknown })._id)).toEqual([
      hash,
      hash,
      hash,
      hash,
      hash,
      { $ne: hash },
    ])
    expect(JSON.stringify(calls)).not.toContain(id)
    expect((await store.listByUser('u1')).map((s) => s.id)).toEqual([`#${hash}`])
    calls.length = 0
    await store.destroy(`#${hash}`)
    await store.destroyByUser('u1', { except: `#${hash}` })
    expect(calls.map((call) => (call[1] as { _id: unknown })._id)).toEqual([hash, { $ne: hash }])
  })
})
