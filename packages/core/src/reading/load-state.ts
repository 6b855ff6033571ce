import type { CookieCodec } from '../codec/codec.js'
import { MAX_COOKIE_VALUE_LENGTH } from '../limits.js'
import type { PlanRules } from '../session/plan.js'
import type { SessionServices } from '../session/state.js'
import { SessionState } from '../session/state.js'
import type { SessionRecord } from '../store.js'

/**
 * From the request's candidate cookie values to a session: each candidate is opened by the codec (verified or
 * unsealed), its record read and checked; the first usable one wins. Otherwise a fresh session under a new id of
 * ours (an id from the request is never adopted: fixation). Bad cookies are reported, never thrown.
 */
export async function loadState(
  services: SessionServices,
  codec: CookieCodec,
  candidates: string[],
  newId: () => string,
  rules?: PlanRules,
): Promise<SessionState> {
  const { reader, options } = services
  for (const value of candidates) {
    if (value.length > MAX_COOKIE_VALUE_LENGTH) {
      services.emit({ type: 'cookie-too-large' })
      continue
    }
    const pending = codec.open(value)
    const opened = pending instanceof Promise ? await pending : pending
    if (opened === null) {
      services.emit({ type: 'cookie-invalid' })
      continue
    }
    let record: SessionRecord | null
    let touched = false
    if (opened.record !== undefined) {
      record = await reader.check(opened.record as SessionRecord)
    } else {
      try {
        const got = await reader.read(codec.storeFor(undefined), opened.id, true)
        record = got?.record ?? null
        touched = got?.touched === true
      } catch (error) {
        if (!options.failOpen || (error as { code?: unknown }).code === 'SESSION_INVALID') throw error
        services.emit({ type: 'store-error', error })
        break
      }
    }
    if (record === null) continue
    const state = new SessionState(services, {
      id: opened.id,
      store: codec.storeFor({ id: opened.id, record }),
      newId,
      record,
      rotated: opened.rotated,
      touched,
      rules,
    })
    codec.adopt(state, value, opened)
    return state
  }
  return new SessionState(services, {
    id: newId(),
    store: codec.storeFor(undefined),
    newId,
    rules,
    hadCookie: candidates.length > 0,
  })
}
