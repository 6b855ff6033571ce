import { andThen } from '../internal/awaitable.js'
import type { CookieCodec, OpenedCookie } from '../codec/codec.js'
import { MAX_COOKIE_VALUE_LENGTH } from '../limits.js'
import type { PlanRules } from '../session/plan.js'
import type { SessionServices } from '../session/state.js'
import { SessionState } from '../session/state.js'
import type { SessionRecord } from '../store.js'

/** What one load reads from: the request's candidate cookie values and how to open them. */
interface LoadContext {
  readonly services: SessionServices
  readonly codec: CookieCodec
  readonly candidates: string[]
  readonly newId: () => string
  readonly rules: PlanRules | undefined
}

/** A candidate's outcome: its session, `null` to try the next one, or STOP (the store failed, failing open). */
type Outcome = SessionState | null | typeof STOP
const STOP = Symbol('stop')

/**
 * From the request's candidate cookie values to a session: each candidate is opened by the codec (verified or
 * unsealed), its record read and checked; the first usable one wins. Otherwise a fresh session under a new id of
 * ours (an id from the request is never adopted: fixation). Bad cookies are reported, never thrown.
 *
 * Synchronous when every step is (a cached verification, a store that answers synchronously, no schema): a read
 * from the memory store then costs no Promise at all. Any step that returns a Promise continues asynchronously.
 */
export function loadState(
  services: SessionServices,
  codec: CookieCodec,
  candidates: string[],
  newId: () => string,
  rules?: PlanRules,
): SessionState | Promise<SessionState> {
  return fromCandidate({ services, codec, candidates, newId, rules }, 0)
}

function fromCandidate(ctx: LoadContext, first: number): SessionState | Promise<SessionState> {
  for (let i = first; i < ctx.candidates.length; i++) {
    const outcome = tryCandidate(ctx, ctx.candidates[i] as string)
    if (outcome instanceof Promise) {
      return outcome.then((o) => (o === null ? fromCandidate(ctx, i + 1) : o === STOP ? fresh(ctx) : o))
    }
    if (outcome === STOP) break
    if (outcome !== null) return outcome
  }
  return fresh(ctx)
}

function tryCandidate(ctx: LoadContext, value: string): Outcome | Promise<Outcome> {
  if (value.length > MAX_COOKIE_VALUE_LENGTH) {
    ctx.services.emit({ type: 'cookie-too-large' })
    return null
  }
  return andThen(ctx.codec.open(value), (opened) => withOpened(ctx, value, opened))
}

function withOpened(ctx: LoadContext, value: string, opened: OpenedCookie | null): Outcome | Promise<Outcome> {
  if (opened === null) {
    ctx.services.emit({ type: 'cookie-invalid' })
    return null
  }
  const { reader } = ctx.services
  if (opened.record !== undefined) {
    return andThen(reader.check(opened.record as SessionRecord), (record) => adopt(ctx, value, opened, record, false))
  }
  const got = reader.read(ctx.codec.storeFor(undefined), opened.id, true)
  if (got instanceof Promise) {
    return got.then(
      (r) => adopt(ctx, value, opened, r?.record ?? null, r?.touched === true),
      (error: unknown) => storeFailed(ctx, error),
    )
  }
  return adopt(ctx, value, opened, got?.record ?? null, got?.touched === true)
}

/** With `failOpen`, a store failure gives a fresh session (reported); otherwise, and for invalid data, it throws. */
function storeFailed(ctx: LoadContext, error: unknown): typeof STOP {
  if (!ctx.services.options.failOpen || (error as { code?: unknown }).code === 'SESSION_INVALID') throw error
  ctx.services.emit({ type: 'store-error', error })
  return STOP
}

function adopt(
  ctx: LoadContext,
  value: string,
  opened: OpenedCookie,
  record: SessionRecord | null,
  touched: boolean,
): SessionState | null {
  if (record === null) return null
  const state = new SessionState(ctx.services, {
    id: opened.id,
    store: ctx.codec.storeFor({ id: opened.id, record }),
    newId: ctx.newId,
    record,
    rotated: opened.rotated,
    touched,
    rules: ctx.rules,
  })
  ctx.codec.adopt(state, value, opened)
  return state
}

function fresh(ctx: LoadContext): SessionState {
  return new SessionState(ctx.services, {
    id: ctx.newId(),
    store: ctx.codec.storeFor(undefined),
    newId: ctx.newId,
    rules: ctx.rules,
    hadCookie: ctx.candidates.length > 0,
  })
}
