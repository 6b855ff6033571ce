/**
 * Why a stored session's cookie goes out even when no write extends it: `'new'` its id was first stored during this
 * request, `'resend'` an older secret verified it or its lifetime changed, `'keep'` nothing forces it.
 */
export type CookieDue = 'new' | 'resend' | 'keep'

/**
 * Where one request's session stands, as one value (the commit is planned from it, see `planCommit`):
 * - `unsaved`: no record exists under the current id (a fresh, regenerated or destroyed session). `clearCookie`: the
 *   browser holds a cookie that must be expired if nothing is stored; `staleCookie`: the request carried a session
 *   cookie that named nothing usable (left alone unless the app destroys or regenerates: a cookie of another path or
 *   app may share the name); `destroyed`: `saveUninitialized` no longer applies (the app ended this session).
 * - `stored`: a record exists under the current id. `extended`: its expiry moved during this request.
 * - `committed`: the response's commit ran; `stored` tells whether a record was left under the id.
 */
export type Lifecycle =
  | {
      readonly phase: 'unsaved'
      readonly clearCookie: boolean
      readonly staleCookie: boolean
      readonly destroyed: boolean
    }
  | { readonly phase: 'stored'; readonly cookie: CookieDue; readonly extended: boolean }
  | { readonly phase: 'committed'; readonly stored: boolean }

/** A session loaded from a verified cookie and a usable record. */
export function loaded(options: { rotated: boolean; touched: boolean }): Lifecycle {
  return { phase: 'stored', cookie: options.rotated ? 'resend' : 'keep', extended: options.touched }
}

/** A fresh session; `hadCookie`: the request carried a session cookie that named nothing usable. */
export function fresh(hadCookie: boolean): Lifecycle {
  return { phase: 'unsaved', clearCookie: false, staleCookie: hadCookie, destroyed: false }
}

/**
 * After the record is dropped (regenerate, destroy, a reload that found nothing, a patch that found nothing).
 * `expireStale`: the app ended the session on purpose (destroy, regenerate), so a stale cookie goes too.
 */
export function dropped(state: Lifecycle, options: { destroyed: boolean; expireStale: boolean }): Lifecycle {
  if (state.phase === 'committed') return { phase: 'committed', stored: false }
  const unsaved = state.phase === 'unsaved'
  const clearCookie =
    state.phase === 'stored' || (unsaved && (state.clearCookie || (options.expireStale && state.staleCookie)))
  return { phase: 'unsaved', clearCookie, staleCookie: unsaved && state.staleCookie, destroyed: options.destroyed }
}

/** After a store write succeeded under the current id (during the commit, the session stays committed). */
export function written(state: Lifecycle): Lifecycle {
  if (state.phase === 'committed') return { phase: 'committed', stored: true }
  return { phase: 'stored', cookie: state.phase === 'stored' ? state.cookie : 'new', extended: true }
}

/** After the cookie's own lifetime changed (setMaxAge): a stored session's cookie must be re-sent. */
export function lifetimeChanged(state: Lifecycle): Lifecycle {
  return state.phase === 'stored' && state.cookie === 'keep' ? { ...state, cookie: 'resend' } : state
}

/** After the commit. */
export function committed(state: Lifecycle): Lifecycle {
  return { phase: 'committed', stored: state.phase === 'stored' || (state.phase === 'committed' && state.stored) }
}
