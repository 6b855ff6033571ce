import { andThen } from '../internal/awaitable.js'
import { SessionStateError } from '../errors.js'
import { callStore } from '../internal/store-call.js'
import type { ResolvedOptions, SessionEvent } from '../options.js'
import type { SessionRecord, Store } from '../store.js'
import { recordProblem } from '../store-kit/record.js'

/** A record that passed every check, and whether the store refreshed its expiry while reading it. */
export interface ReadResult {
  record: SessionRecord
  touched: boolean
}

/**
 * Reads records and checks them: present, well formed (`recordProblem`), unexpired (idle and absolute), and valid
 * against the schema when there is one. Every reason to start fresh is reported through `onEvent`.
 */
export class RecordReader {
  readonly #o: ResolvedOptions
  readonly #emit: (event: SessionEvent) => void

  constructor(options: ResolvedOptions, emit: (event: SessionEvent) => void) {
    this.#o = options
    this.#emit = emit
  }

  /**
   * Loads `id` from `store` (refreshing the expiry in the same call with `touch` and a `getAndTouch` store).
   * Synchronous when the store answers synchronously and no schema validates the record.
   */
  read(store: Store, id: string, touch: boolean): ReadResult | null | Promise<ReadResult | null> {
    const o = this.#o
    if (touch && store.getAndTouch) {
      const policy = {
        now: o.clock.now(),
        idleTimeout: o.idleTimeout,
        absoluteTimeout: o.absoluteTimeout,
        touchAfter: o.touchAfter,
      }
      const got = callStore('getAndTouch', o.storeTimeout, () => store.getAndTouch!(id, policy))
      return andThen(got, (g) => this.#result(g?.session, g?.touched))
    }
    return andThen(
      callStore('get', o.storeTimeout, () => store.get(id)),
      (r) => this.#result(r, false),
    )
  }

  #result(
    value: SessionRecord | null | undefined,
    touched: boolean | undefined,
  ): ReadResult | null | Promise<ReadResult | null> {
    return andThen(this.check(value ?? null), (record) =>
      record === null ? null : { record, touched: touched === true },
    )
  }

  /** The record if it is usable, else null (reported). Synchronous unless a schema validates it. */
  check(value: SessionRecord | null): SessionRecord | null | Promise<SessionRecord | null> {
    const record = this.#usable(value)
    return record === null || this.#o.schema === undefined ? record : this.#validate(record)
  }

  #usable(value: SessionRecord | null): SessionRecord | null {
    if (value === null || value === undefined) return (this.#emit({ type: 'session-missing' }), null)
    const problem = recordProblem(value)
    if (problem !== undefined) return (this.#emit({ type: 'record-invalid', reason: problem }), null)
    const now = this.#o.clock.now()
    const absolute = this.#o.absoluteTimeout
    if (value.expiresAt <= now || (absolute !== null && value.createdAt + absolute * 1000 <= now)) {
      return (this.#emit({ type: 'session-expired' }), null)
    }
    return value
  }

  async #validate(value: SessionRecord): Promise<SessionRecord | null> {
    const result = await this.#o.schema!['~standard'].validate(value.data)
    if (result.issues === undefined) return { ...value, data: result.value as Record<string, unknown> }
    this.#emit({ type: 'data-invalid', issues: result.issues })
    if (this.#o.onInvalidData === 'error') {
      throw new SessionStateError(
        'SESSION_INVALID',
        `[sess] Stored session data failed the schema (${result.issues.length} issue(s)): migrate it, or use onInvalidData: 'discard'.`,
      )
    }
    return null
  }
}
