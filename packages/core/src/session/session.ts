import { SessionStateError } from '../errors.js'
import { MAX_LIFETIME_SECONDS } from '../limits.js'
import { setOwn } from '../store-kit/safe-key.js'
import type { DataAccess } from './data-view.js'
import type { DestroyUserSessionsOptions, UserDevice } from './devices.js'
import { destroyDevice, destroyDevices, listDevices } from './devices.js'
import { dataView } from './data-view.js'
import { samePrimitive } from './changes.js'
import { lifetimeChanged } from './lifecycle.js'
import { assertOpen, destroy, regenerate, reload, save } from './operations.js'
import type { SessionState } from './state.js'

/**
 * Session data shape. Augment it to type every session of the app:
 * `declare module '@sess/core' { interface SessionData { userId: string; views: number } }`
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by applications
export interface SessionData {}

/** Options of {@link Session.regenerate}. */
export interface RegenerateOptions {
  /** Carry the data (and user binding) over to the new id. @default false */
  keepData?: boolean | undefined
}

const FLASH_KEY = '__flash'

/**
 * One request's session. Data is read and written with {@link get}/{@link set} or through {@link data}, and
 * changes (nested mutations included) are tracked per top-level key, so only changed keys are written. Sessions
 * come from `SessionManager.load()`; the class is exported as a type only.
 */
export class Session<Data extends object = SessionData> {
  readonly #s: SessionState
  #view: Data | undefined

  /** @internal Created by the session manager from the request's state. */
  constructor(state: SessionState) {
    this.#s = state
  }

  /** The session id. It changes on {@link regenerate} and {@link destroy}. Never log it. */
  get id(): string {
    return this.#s.id
  }
  /** True while no record exists for this id (a new, regenerated or destroyed session). */
  get isNew(): boolean {
    const l = this.#s.lifecycle
    return l.phase === 'committed' ? !l.stored : l.phase === 'unsaved'
  }
  /** Creation time, epoch milliseconds (the absolute timeout counts from here). */
  get createdAt(): number {
    return this.#s.createdAt
  }
  /** Current expiry, epoch milliseconds; 0 for a session never stored. */
  get expiresAt(): number {
    return this.#s.expiresAt
  }
  /** The user this session is bound to. */
  get userId(): string | undefined {
    return this.#s.userId
  }
  /** Per-session cookie lifetime in seconds; `null` for a browser-session cookie; undefined for the default. */
  get maxAge(): number | null | undefined {
    return this.#s.maxAge
  }
  /** The last stored version (strict mode compares it). */
  get version(): number {
    return this.#s.version
  }
  /** True once the response's commit ran: the session no longer accepts changes. */
  get committed(): boolean {
    return this.#s.lifecycle.phase === 'committed'
  }

  /** The data as a tracked object: `session.data.views++` and `session.data.cart.items.push(x)` are both saved. */
  get data(): Data {
    this.#view ??= dataView<Data>(this.#access())
    return this.#view
  }

  /** The value under `key`. Objects returned are tracked: mutating them marks the key changed. */
  get<K extends keyof Data & string>(key: K): Data[K] | undefined {
    return this.#get(key) as Data[K] | undefined
  }
  /** Sets `key`; the change is written at commit. */
  set<K extends keyof Data & string>(key: K, value: Data[K]): void {
    this.#set(key, value)
  }
  /** Removes `key`. */
  delete<K extends keyof Data & string>(key: K): void {
    this.#delete(key)
  }
  /** Whether `key` is set. */
  has<K extends keyof Data & string>(key: K): boolean {
    return Object.hasOwn(this.#s.data, key)
  }
  /** Removes every key (the session itself stays; use {@link destroy} to end it). */
  clear(): void {
    for (const key of Object.keys(this.#s.data)) this.#delete(key)
  }
  /** A plain deep copy of the data, e.g. for serializing to a client. */
  toJSON(): Data {
    const { [FLASH_KEY]: _flash, ...rest } = this.#s.data
    return JSON.parse(JSON.stringify(rest)) as Data
  }

  /** Adds a flash message under `key`, to be read once by {@link consumeFlash} on a later request. */
  flash(key: string, message: unknown): void {
    const flashes = { ...((this.#get(FLASH_KEY) as Record<string, unknown[]> | undefined) ?? {}) }
    setOwn(flashes, key, [...(flashes[key] ?? []), message])
    this.#set(FLASH_KEY, flashes)
  }
  /** Returns and removes the flash messages under `key` (an empty array when there are none). */
  consumeFlash(key: string): unknown[] {
    const flashes = this.#s.data[FLASH_KEY] as Record<string, unknown[]> | undefined
    const messages = flashes !== undefined && Object.hasOwn(flashes, key) ? flashes[key] : undefined
    if (flashes === undefined || messages === undefined) return []
    const { [key]: _taken, ...rest } = flashes
    if (Object.keys(rest).length === 0) this.#delete(FLASH_KEY)
    else this.#set(FLASH_KEY, rest)
    return messages
  }

  /** Binds the session to a user (or unbinds with `null`), for listing and revoking a user's sessions. */
  setUser(userId: string | null): void {
    this.#assertOpen()
    if (userId !== null && (typeof userId !== 'string' || userId === '')) {
      throw invalidArgument('setUser takes a non-empty string, or null to unbind.')
    }
    const next = userId ?? undefined
    if (next === this.#s.userId) return
    this.#s.userId = next
    this.#s.changes.note('user')
  }

  /**
   * Sets this session's cookie lifetime in seconds ("remember me"): a number makes a persistent cookie and
   * becomes this session's idle timeout; `null` makes a browser-session cookie with the default idle timeout.
   * At most 400 days (`MAX_LIFETIME_SECONDS`, the cap browsers apply); fractions of a second are kept.
   */
  setMaxAge(seconds: number | null): void {
    this.#assertOpen()
    if (seconds !== null && !(typeof seconds === 'number' && seconds > 0 && seconds <= MAX_LIFETIME_SECONDS)) {
      throw invalidArgument(
        `setMaxAge takes a number of seconds > 0 and <= ${MAX_LIFETIME_SECONDS} (400 days), or null.`,
      )
    }
    const s = this.#s
    if (seconds === s.maxAge) return
    s.maxAge = seconds
    s.changes.note('maxAge')
    s.lifecycle = lifetimeChanged(s.lifecycle)
  }

  /** Requests an expiry refresh at commit even if the throttle would skip it. */
  touch(): void {
    this.#assertOpen()
    this.#s.changes.note('touch')
  }

  /**
   * Issues a new id and destroys the old record, so an id known before a privilege change (login) is worthless
   * afterwards (session fixation). Without `keepData` the new session starts empty.
   * @see https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#renew-the-session-id-after-any-privilege-level-change
   */
  regenerate(options?: RegenerateOptions): Promise<void> {
    return regenerate(this.#s, options?.keepData === true)
  }

  /** Removes the record and, at commit, expires the cookie. Data set afterwards starts a new session under a new id. */
  destroy(): Promise<void> {
    return destroy(this.#s)
  }

  /** Re-reads the record from the store, dropping unsaved changes; resolves false (and empties) if it is gone. */
  reload(): Promise<boolean> {
    return reload(this.#s)
  }

  /** Writes the session now (a new one is created in the store); commit then writes only what changes after. */
  save(): Promise<void> {
    return save(this.#s)
  }

  /** "Your devices": the sessions of this session's user (`setUser`), this one marked `current`. Throws USER_MISSING without a user. */
  listUserSessions(): Promise<UserDevice[]> {
    return listDevices(this.#s)
  }
  /** Signs out one session listed by {@link listUserSessions} (this one included); false if not one of the user's. */
  destroyUserSession(listedId: string): Promise<boolean> {
    return destroyDevice(this.#s, listedId, () => this.destroy())
  }
  /** Signs out every session of this session's user, or with `exceptCurrent` every other one; resolves to how many. */
  destroyUserSessions(options?: DestroyUserSessionsOptions): Promise<number> {
    return destroyDevices(this.#s, options, () => this.destroy())
  }

  /** Whether anything would be written at commit (data, user binding or lifetime). */
  isModified(): boolean {
    return this.#s.changes.modified(this.#s.data)
  }

  // ——— internals ———

  #access(): DataAccess {
    return {
      get: (key) => this.#get(key),
      set: (key, value) => this.#set(key, value),
      delete: (key) => this.#delete(key),
      data: () => this.#s.data,
    }
  }

  #get(key: string): unknown {
    const s = this.#s
    if (!Object.hasOwn(s.data, key)) return undefined
    const value = s.data[key]
    if (value !== null && typeof value === 'object' && s.lifecycle.phase !== 'committed') s.changes.noteRead(key, value)
    return value
  }

  #set(key: string, value: unknown): void {
    this.#assertOpen()
    if (value === undefined) {
      this.#delete(key)
      return
    }
    const data = this.#s.data
    if (samePrimitive(data, key, value)) return
    setOwn(data, key, value)
    this.#s.changes.noteWrite(key)
  }

  #delete(key: string): void {
    this.#assertOpen()
    const data = this.#s.data
    if (!Object.hasOwn(data, key)) return
    delete data[key]
    this.#s.changes.noteWrite(key)
  }

  #assertOpen(): void {
    assertOpen(this.#s)
  }
}

function invalidArgument(message: string): SessionStateError {
  return new SessionStateError('ARGUMENT_INVALID', `[sess] ${message}`)
}
