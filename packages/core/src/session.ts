import { SessionStateError } from './errors.js'
import { computeExpiresAt, touchedExpiresAt, ttlSeconds } from './store-kit/expiry.js'
import { setOwn } from './store-kit/safe-key.js'
import type { ResolvedOptions, SessionEvent } from './options.js'
import type { SessionPatch, Store, StoredSession } from './store.js'

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

/** What the manager lends a session: options, the store, cookie values and record checks. @internal */
export interface SessionContext {
  readonly options: ResolvedOptions
  /** Where this request's record lives: the configured store, or the sealed cookie's slot. */
  readonly store: Store
  /** True when the cookie carries the record itself (its value changes with every write). */
  readonly sealed: boolean
  /** The cookie value for `id`: its signature, or the sealed record. */
  cookieValue(id: string): Promise<string>
  /** The cookie value, if it can be computed synchronously. */
  cookieValueSync(id: string): string | undefined
  newId(): string
  call<T>(operation: string, run: () => Promise<T>): Promise<T>
  /** Loads and checks a record; null when there is no usable one. `touched`: the store refreshed it while reading. */
  read(id: string, touch?: boolean): Promise<{ session: StoredSession; touched: boolean } | null>
  emit(event: SessionEvent): void
}

/** The write a commit or save will perform. @internal */
export type PendingWrite = 'set' | 'patch' | 'touch' | 'none'

const FLASH_KEY = '__flash'

/**
 * One request's session. Data is read and written with {@link get}/{@link set} or through {@link data}, and
 * changes (nested mutations included) are tracked per top-level key, so only changed keys are written.
 */
export class Session<Data extends object = SessionData> {
  readonly #ctx: SessionContext
  #id: string
  #isNew: boolean
  #data: Record<string, unknown>
  #createdAt: number
  #expiresAt: number
  #version: number
  #userId: string | undefined
  #maxAge: number | null | undefined
  // Keys set or deleted; created on the first change (most requests change nothing).
  #dirty: Set<string> | undefined
  // JSON of object values as they were when first read, to detect nested mutations at commit; created on demand.
  #snapshots: Map<string, string> | undefined
  #userDirty = false
  #maxAgeDirty = false
  #saveRequested = false
  #touchRequested = false
  #destroyed = false
  #clearOnUnsaved = false
  #newIdPersisted = false
  #extended = false
  // The cookie's own attributes changed (setMaxAge): it must be re-sent even when it stops being persistent.
  #lifetimeChanged = false
  #rotated: boolean
  #hadCookie = false
  #committed = false
  #signed: { id: string; value: string } | undefined
  #proxy: Data | undefined

  /** @internal Created by the session manager. */
  constructor(
    ctx: SessionContext,
    id: string,
    record: StoredSession | null,
    rotated: boolean,
    hadCookie: boolean,
    touched = false,
  ) {
    this.#ctx = ctx
    this.#id = id
    this.#rotated = rotated
    // The store refreshed the expiry during the read: the cookie may need the new Max-Age.
    this.#extended = touched
    const now = ctx.options.clock.now()
    if (record) {
      this.#isNew = false
      this.#data = record.data
      this.#createdAt = record.createdAt
      this.#expiresAt = record.expiresAt
      this.#version = record.version ?? 0
      this.#userId = record.userId ?? undefined
      this.#maxAge = record.maxAge
    } else {
      this.#isNew = true
      this.#data = {}
      this.#createdAt = now
      this.#expiresAt = 0
      this.#version = 0
      this.#userId = undefined
      this.#maxAge = undefined
      this.#hadCookie = hadCookie
    }
  }

  /** The session id. It changes on {@link regenerate} and {@link destroy}. Never log it. */
  get id(): string {
    return this.#id
  }
  /** True while no record exists for this id (a new, regenerated or destroyed session). */
  get isNew(): boolean {
    return this.#isNew
  }
  /** Creation time, epoch milliseconds (the absolute timeout counts from here). */
  get createdAt(): number {
    return this.#createdAt
  }
  /** Current expiry, epoch milliseconds; 0 for a session never stored. */
  get expiresAt(): number {
    return this.#expiresAt
  }
  /** The user this session is bound to. */
  get userId(): string | undefined {
    return this.#userId
  }
  /** Per-session cookie lifetime in seconds; `null` for a browser-session cookie; undefined for the default. */
  get maxAge(): number | null | undefined {
    return this.#maxAge
  }
  /** The last stored version (strict mode compares it). */
  get version(): number {
    return this.#version
  }

  /** The data as a tracked object: `session.data.views++` and `session.data.cart.items.push(x)` are both saved. */
  get data(): Data {
    if (this.#proxy === undefined) {
      this.#proxy = new Proxy({} as Data, {
        get: (_, key) => (typeof key === 'string' ? this.#get(key) : undefined),
        set: (_, key, value) => {
          if (typeof key !== 'string') return false
          this.#set(key, value)
          return true
        },
        deleteProperty: (_, key) => {
          if (typeof key === 'string') this.#delete(key)
          return true
        },
        has: (_, key) => typeof key === 'string' && Object.hasOwn(this.#data, key),
        ownKeys: () => Object.keys(this.#data).filter((k) => k !== FLASH_KEY),
        getOwnPropertyDescriptor: (_, key) =>
          typeof key === 'string' && key !== FLASH_KEY && Object.hasOwn(this.#data, key)
            ? { value: this.#get(key), writable: true, enumerable: true, configurable: true }
            : undefined,
        defineProperty: (_, key, desc) => {
          if (typeof key !== 'string' || !('value' in desc)) return false
          this.#set(key, desc.value)
          return true
        },
      })
    }
    return this.#proxy
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
    return Object.hasOwn(this.#data, key)
  }
  /** Removes every key (the session itself stays; use {@link destroy} to end it). */
  clear(): void {
    for (const key of Object.keys(this.#data)) this.#delete(key)
  }
  /** A plain deep copy of the data, e.g. for serializing to a client. */
  toJSON(): Data {
    const { [FLASH_KEY]: _flash, ...rest } = this.#data
    return JSON.parse(JSON.stringify(rest)) as Data
  }

  /** Adds a flash message under `key`, to be read once by {@link consumeFlash} on a later request. */
  flash(key: string, message: unknown): void {
    const flashes = { ...((this.#get(FLASH_KEY) as Record<string, unknown[]> | undefined) ?? {}) }
    flashes[key] = [...(flashes[key] ?? []), message]
    this.#set(FLASH_KEY, flashes)
  }
  /** Returns and removes the flash messages under `key` (an empty array when there are none). */
  consumeFlash(key: string): unknown[] {
    const flashes = this.#data[FLASH_KEY] as Record<string, unknown[]> | undefined
    const messages = flashes?.[key]
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
      throw new TypeError('[sess] setUser takes a non-empty string, or null to unbind.')
    }
    const next = userId ?? undefined
    if (next === this.#userId) return
    this.#userId = next
    this.#userDirty = true
  }

  /**
   * Sets this session's cookie lifetime in seconds ("remember me"): a number makes a persistent cookie and
   * becomes this session's idle timeout; `null` makes a browser-session cookie with the default idle timeout.
   */
  setMaxAge(seconds: number | null): void {
    this.#assertOpen()
    if (seconds !== null && !(Number.isFinite(seconds) && seconds > 0)) {
      throw new TypeError('[sess] setMaxAge takes a positive number of seconds, or null.')
    }
    if (seconds === this.#maxAge) return
    this.#maxAge = seconds
    this.#maxAgeDirty = true
    this.#lifetimeChanged = true
  }

  /** Requests an expiry refresh at commit even if the throttle would skip it. */
  touch(): void {
    this.#assertOpen()
    this.#touchRequested = true
  }

  /**
   * Issues a new id and destroys the old record, so an id known before a privilege change (login) is worthless
   * afterwards (session fixation). Without `keepData` the new session starts empty.
   * @see https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#renew-the-session-id-after-any-privilege-level-change
   */
  async regenerate(options?: RegenerateOptions): Promise<void> {
    this.#assertOpen()
    if (!this.#isNew) await this.#ctx.call('destroy', () => this.#ctx.store.destroy(this.#id))
    const keep = options?.keepData === true
    this.#clearOnUnsaved ||= !this.#isNew || this.#hadCookie
    this.#reset(this.#ctx.newId(), keep ? this.#data : {}, keep)
    if (keep) this.#saveRequested = true
  }

  /** Removes the record and, at commit, expires the cookie. Data set afterwards starts a new session under a new id. */
  async destroy(): Promise<void> {
    this.#assertOpen()
    if (!this.#isNew) await this.#ctx.call('destroy', () => this.#ctx.store.destroy(this.#id))
    this.#clearOnUnsaved ||= !this.#isNew || this.#hadCookie
    this.#reset(this.#ctx.newId(), {}, false)
    this.#destroyed = true
  }

  /** Re-reads the record from the store, dropping unsaved changes; resolves false (and empties) if it is gone. */
  async reload(): Promise<boolean> {
    this.#assertOpen()
    const loaded = this.#isNew ? null : await this.#ctx.read(this.#id)
    const record = loaded?.session ?? null
    if (record === null) {
      this.#clearOnUnsaved ||= !this.#isNew
      this.#reset(this.#ctx.newId(), {}, false)
      return false
    }
    this.#data = record.data
    this.#expiresAt = record.expiresAt
    this.#version = record.version ?? 0
    this.#userId = record.userId ?? undefined
    this.#maxAge = record.maxAge
    this.#clearTracking()
    return true
  }

  /** Writes the session now (a new one is created in the store); commit then writes only what changes after. */
  async save(): Promise<void> {
    this.#assertOpen()
    const write = this.pendingWrite()
    await this.#write(write === 'none' ? 'touch' : write)
  }

  /** Whether anything would be written at commit (data, user binding or lifetime). */
  isModified(): boolean {
    return this.#changedKeys().length > 0 || this.#metaModified()
  }

  // ——— used by the handle ———

  /** @internal The write the current state calls for. */
  pendingWrite(changed: string[] = this.#changedKeys()): PendingWrite {
    const o = this.#ctx.options
    const modified = changed.length > 0 || this.#metaModified()
    if (this.#isNew) return modified || (o.saveUninitialized && !this.#destroyed) ? 'set' : 'none'
    if (modified) return this.#ctx.store.patch ? 'patch' : 'set'
    const policy = {
      now: o.clock.now(),
      idleTimeout: o.idleTimeout,
      absoluteTimeout: o.absoluteTimeout,
      touchAfter: o.touchAfter,
    }
    const current = { createdAt: this.#createdAt, expiresAt: this.#expiresAt, maxAge: this.#maxAge }
    return touchedExpiresAt(current, policy, { force: this.#touchRequested }) === undefined ? 'none' : 'touch'
  }

  /** @internal Which cookie the response needs once `write` is done. */
  cookieAction(write: PendingWrite): 'set' | 'clear' | 'none' {
    const persisted = !this.#isNew || write === 'set'
    if (!persisted) return this.#clearOnUnsaved ? 'clear' : 'none'
    if (this.#newIdPersisted || this.#isNew) return 'set'
    if (this.#rotated || this.#ctx.options.rolling || this.#lifetimeChanged) return 'set'
    if ((write !== 'none' || this.#extended) && this.#persistent()) return 'set'
    return 'none'
  }

  /**
   * @internal Max-Age and Expires for the cookie, or undefined for a browser-session cookie. With `pending`, the
   * expiry the pending write will set (for a synchronous peek before the write).
   */
  cookieLifetime(nowMs: number, pending: boolean): { maxAge: number; expiresAtMs: number } | undefined {
    if (!this.#persistent()) return undefined
    const o = this.#ctx.options
    const expiresAt = pending
      ? computeExpiresAt(nowMs, this.#createdAt, this.#idleSeconds(), o.absoluteTimeout)
      : this.#expiresAt
    return { maxAge: ttlSeconds(expiresAt, nowMs), expiresAtMs: expiresAt }
  }

  /** @internal Signed cookie value for the current id, computed once per id. */
  async signedValue(): Promise<string> {
    const id = this.#id
    if (this.#ctx.sealed) return this.#ctx.cookieValue(id)
    if (this.#signed?.id !== id) this.#signed = { id, value: await this.#ctx.cookieValue(id) }
    return this.#signed.value
  }
  /**
   * @internal The request's cookie value, verified by the first secret: exactly what signing the current id gives,
   * so re-sending the cookie (a new expiry, rolling) needs no HMAC.
   */
  adoptSignedValue(value: string): void {
    if (!this.#ctx.sealed) this.#signed = { id: this.#id, value }
  }
  /** @internal The signed value if it can be had synchronously. */
  signedValueSync(): string | undefined {
    if (this.#ctx.sealed) return undefined
    if (this.#signed?.id === this.#id) return this.#signed.value
    const value = this.#ctx.cookieValueSync(this.#id)
    if (value !== undefined) this.#signed = { id: this.#id, value }
    return value
  }

  /** @internal Performs the pending write and closes the session to further changes. */
  async commit(): Promise<PendingWrite> {
    this.#assertOpen()
    const changed = this.#changedKeys()
    const write = this.pendingWrite(changed)
    this.#committed = true
    await this.#write(write, changed)
    return write
  }

  /**
   * @internal Closes the session without a store call when none is due (nothing changed, no touch needed);
   * returns false, leaving it open, when a write is pending.
   */
  commitIfIdle(): boolean {
    this.#assertOpen()
    if (this.pendingWrite() !== 'none') return false
    this.#committed = true
    return true
  }

  get committed(): boolean {
    return this.#committed
  }

  // ——— internals ———

  #get(key: string): unknown {
    if (!Object.hasOwn(this.#data, key)) return undefined
    const value = this.#data[key]
    if (
      value !== null &&
      typeof value === 'object' &&
      !this.#committed &&
      this.#dirty?.has(key) !== true &&
      this.#snapshots?.has(key) !== true
    ) {
      ;(this.#snapshots ??= new Map()).set(key, JSON.stringify(value))
    }
    return value
  }

  #set(key: string, value: unknown): void {
    this.#assertOpen()
    if (value === undefined) {
      this.#delete(key)
      return
    }
    setOwn(this.#data, key, value)
    ;(this.#dirty ??= new Set()).add(key)
    this.#snapshots?.delete(key)
  }

  #delete(key: string): void {
    this.#assertOpen()
    if (!Object.hasOwn(this.#data, key)) return
    delete this.#data[key]
    ;(this.#dirty ??= new Set()).add(key)
    this.#snapshots?.delete(key)
  }

  #changedKeys(): string[] {
    const changed = this.#dirty === undefined ? [] : [...this.#dirty]
    if (this.#snapshots === undefined) return changed
    for (const [key, before] of this.#snapshots) {
      if (!Object.hasOwn(this.#data, key) || JSON.stringify(this.#data[key]) !== before) changed.push(key)
    }
    return changed
  }

  #metaModified(): boolean {
    return this.#userDirty || this.#maxAgeDirty || this.#saveRequested
  }

  #persistent(): boolean {
    return this.#maxAge === undefined ? this.#ctx.options.cookie.persistent : this.#maxAge !== null
  }

  #idleSeconds(): number {
    return typeof this.#maxAge === 'number' ? this.#maxAge : this.#ctx.options.idleTimeout
  }

  async #write(write: PendingWrite, changed?: string[]): Promise<void> {
    if (write === 'none') return
    const { clock, absoluteTimeout, strict } = this.#ctx.options
    const store = this.#ctx.store
    const now = clock.now()
    const expiresAt = computeExpiresAt(now, this.#createdAt, this.#idleSeconds(), absoluteTimeout)
    const ttl = ttlSeconds(expiresAt, now)
    const id = this.#id
    if (write === 'touch') {
      if (store.touch) await this.#ctx.call('touch', () => store.touch!(id, expiresAt, ttl))
      else await this.#ctx.call('set', () => store.set(id, this.#record(expiresAt, this.#version), ttl))
    } else if (write === 'set') {
      this.#assertSerializable(Object.keys(this.#data))
      const record = this.#record(expiresAt, this.#version + 1)
      await this.#ctx.call('set', () => store.set(id, record, ttl))
      this.#version += 1
      if (this.#isNew) this.#newIdPersisted = true
      this.#isNew = false
    } else {
      const keys = changed ?? this.#changedKeys()
      this.#assertSerializable(keys)
      const patch: SessionPatch = { set: {}, unset: [], expiresAt }
      for (const key of keys) {
        if (!Object.hasOwn(this.#data, key)) patch.unset.push(key)
        else setOwn(patch.set, key, this.#data[key])
      }
      if (strict) patch.expectedVersion = this.#version
      if (this.#userDirty) patch.userId = this.#userId ?? null
      if (this.#maxAgeDirty) patch.maxAge = this.#maxAge ?? null
      const result = await this.#ctx.call('patch', () => store.patch!(id, patch, ttl))
      if (result === 'conflict') {
        throw new SessionStateError(
          'SESSION_CONFLICT',
          '[sess] The session was changed by another request since it was loaded (strict mode); reload and retry.',
        )
      }
      if (result === 'missing') {
        // Destroyed (or expired) by another request meanwhile: never resurrect it.
        this.#ctx.emit({ type: 'patch-missing' })
        this.#clearOnUnsaved = true
        this.#isNew = true
        this.#destroyed = true
        this.#clearTracking()
        return
      }
      this.#version += 1
    }
    this.#expiresAt = expiresAt
    this.#extended = true
    this.#clearTracking()
  }

  #record(expiresAt: number, version: number): StoredSession {
    const record: StoredSession = { data: this.#data, createdAt: this.#createdAt, expiresAt, version }
    if (this.#userId !== undefined) record.userId = this.#userId
    if (this.#maxAge !== undefined) record.maxAge = this.#maxAge
    return record
  }

  #assertSerializable(keys: string[]): void {
    for (const key of keys) {
      try {
        JSON.stringify(this.#data[key])
      } catch (cause) {
        throw new SessionStateError(
          'DATA_NOT_SERIALIZABLE',
          `[sess] Session key ${JSON.stringify(key)} holds a value JSON cannot represent (cycle or BigInt); store plain data.`,
          { cause },
        )
      }
    }
  }

  #clearTracking(): void {
    // Snapshots stay valid references for objects the handler still holds: re-take them after a write.
    const snapshots = this.#snapshots
    if (snapshots !== undefined) {
      for (const key of snapshots.keys()) {
        if (Object.hasOwn(this.#data, key)) snapshots.set(key, JSON.stringify(this.#data[key]))
        else snapshots.delete(key)
      }
    }
    this.#dirty?.clear()
    this.#userDirty = false
    this.#maxAgeDirty = false
    this.#saveRequested = false
    this.#touchRequested = false
  }

  #reset(id: string, data: Record<string, unknown>, keepMeta: boolean): void {
    this.#id = id
    this.#isNew = true
    this.#newIdPersisted = false
    this.#extended = false
    this.#lifetimeChanged = false
    this.#rotated = false
    this.#version = 0
    this.#expiresAt = 0
    this.#snapshots?.clear()
    this.#data = data
    this.#clearTracking()
    if (!keepMeta) {
      this.#createdAt = this.#ctx.options.clock.now()
      this.#userId = undefined
      this.#maxAge = undefined
    }
    this.#destroyed = false
  }

  #assertOpen(): void {
    if (this.#committed) {
      throw new SessionStateError(
        'ALREADY_COMMITTED',
        '[sess] The session was already committed for this response; change it before the response is sent.',
      )
    }
  }
}
