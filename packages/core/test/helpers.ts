import type { PatchResult, SessionPatch, Store, StoredSession, UserSession } from '../src/index.js'
import type { Session, SessionManager } from '../src/index.js'
import { applyPatch, touchedExpiresAt } from '../src/index.js'

/** A fake clock: tests advance time instead of waiting. */
export function fakeClock(startMs = Date.UTC(2026, 0, 1)): { now(): number; advance(ms: number): void } {
  let now = startMs
  return { now: () => now, advance: (ms) => void (now += ms) }
}

export interface RecordingStore extends Store {
  /** Every store call, in order: `get`, `set`, `patch`, ... */
  calls: string[]
  records: Map<string, string>
  ttls: Map<string, number>
}

/**
 * A Map-backed store that records its calls, for counting store round trips in core's own unit tests (the real
 * stores have their own conformance suites). Capabilities can be switched off to test the fallbacks.
 */
export function recordingStore(
  options: { patch?: boolean; touch?: boolean; users?: boolean; getAndTouch?: boolean } = {},
): RecordingStore {
  const records = new Map<string, string>()
  const ttls = new Map<string, number>()
  const calls: string[] = []
  const read = (id: string): StoredSession | null => {
    const raw = records.get(id)
    return raw === undefined ? null : (JSON.parse(raw) as StoredSession)
  }
  const store: RecordingStore = {
    calls,
    records,
    ttls,
    async get(id) {
      calls.push('get')
      return read(id)
    },
    async set(id, session, ttl) {
      calls.push('set')
      records.set(id, JSON.stringify(session))
      ttls.set(id, ttl)
    },
    async destroy(id) {
      calls.push('destroy')
      records.delete(id)
    },
  }
  if (options.getAndTouch === true) {
    store.getAndTouch = async (id, policy) => {
      calls.push('getAndTouch')
      const r = read(id)
      if (!r) return null
      const next = touchedExpiresAt(r, policy)
      if (next === undefined) return { session: r, touched: false }
      r.expiresAt = next
      records.set(id, JSON.stringify(r))
      ttls.set(id, Math.ceil((next - policy.now) / 1000))
      return { session: r, touched: true }
    }
  }
  if (options.touch !== false) {
    store.touch = async (id, expiresAt, ttl) => {
      calls.push('touch')
      const r = read(id)
      if (r) records.set(id, JSON.stringify({ ...r, expiresAt }))
      ttls.set(id, ttl)
    }
  }
  if (options.patch !== false) {
    store.patch = async (id: string, patch: SessionPatch, ttl: number): Promise<PatchResult> => {
      calls.push('patch')
      const r = read(id)
      if (!r) return 'missing'
      if (applyPatch(r, patch) === 'conflict') return 'conflict'
      records.set(id, JSON.stringify(r))
      ttls.set(id, ttl)
      return 'ok'
    }
  }
  if (options.users !== false) {
    store.listByUser = async (userId): Promise<UserSession[]> => {
      calls.push('listByUser')
      return [...records.keys()].flatMap((id) => {
        const session = read(id)
        return session?.userId === userId ? [{ id, session }] : []
      })
    }
    store.destroyByUser = async (userId, opts) => {
      calls.push('destroyByUser')
      let n = 0
      for (const id of [...records.keys()]) {
        if (read(id)?.userId === userId && id !== opts?.except) {
          records.delete(id)
          n++
        }
      }
      return n
    }
  }
  return store
}

/** The `name=value` part of a Set-Cookie header, ready to send back as a Cookie header. */
export function cookieOf(setCookie: string | undefined): string {
  if (!setCookie) throw new Error('expected a Set-Cookie value')
  return setCookie.split(';')[0] as string
}

export const SECRET = 'test-secret-test-secret-test-secret-0123'

/** What one simulated request gives back: the Set-Cookie values, the session, and the cookie to send next. */
export interface RequestResult<Data extends object> {
  setCookie: string[]
  session: Session<Data>
  next: string | undefined
}

/** A request runner over a manager: load, run the handler, commit, as an adapter would. */
export function requester<Data extends object>(
  manager: SessionManager<Data>,
): (
  cookie: string | undefined,
  handler?: (session: Session<Data>) => unknown,
  secure?: boolean,
) => Promise<RequestResult<Data>> {
  return async (cookie, handler = () => {}, secure = false) => {
    const handle = await manager.load({ cookie, secure })
    await handler(handle.session)
    const { setCookie } = await handle.commit()
    return { setCookie, session: handle.session, next: setCookie[0] ? cookieOf(setCookie[0]) : cookie }
  }
}
