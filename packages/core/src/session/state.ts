import type { ResolvedOptions, SessionEvent } from '../options.js'
import type { RecordReader } from '../reading/record-reader.js'
import type { SessionRecord, Store } from '../store.js'
import { Changes } from './changes.js'
import type { Lifecycle } from './lifecycle.js'
import { fresh, loaded } from './lifecycle.js'
import type { PlanInput, PlanRules } from './plan.js'

/** What every session of one manager shares. */
export interface SessionServices {
  readonly options: ResolvedOptions
  readonly rules: PlanRules
  readonly reader: RecordReader
  emit(event: SessionEvent): void
}

/** How a session starts: from a loaded record, or fresh. */
export interface SessionStart {
  id: string
  /** Where this request's record lives: the configured store, or the sealed cookie's slot. */
  store: Store
  newId: () => string
  /** The loaded record; undefined for a fresh session. */
  record?: SessionRecord | undefined
  /** A secret other than the first verified the cookie (re-sign it). */
  rotated?: boolean | undefined
  /** The store refreshed the expiry while reading. */
  touched?: boolean | undefined
  /** This request's plan rules, when its inputs change them (a per-request `maxAge`). */
  rules?: PlanRules | undefined
  /** The request carried a session cookie (a fresh session must expire it unless it stores something). */
  hadCookie?: boolean | undefined
}

/** One request's session as the handle and the Session see it: the live record, its lifecycle and its changes. */
export class SessionState {
  // Real class fields, not `declare`d ones assigned in the constructor: the declare form saved 35 bytes of edge
  // bundle but cost ~5% more instructions per Fastify read (valgrind, bench/src/instructions.mjs: 111.7 k vs 105.6 k).
  readonly services: SessionServices
  readonly store: Store
  readonly newId: () => string
  readonly changes: Changes = new Changes()
  readonly rules: PlanRules
  id: string
  data!: Record<string, unknown>
  createdAt: number
  expiresAt!: number
  version!: number
  userId: string | undefined
  maxAge: number | null | undefined
  /** Opt-in device metadata, recorded when the session is created (`device` option). */
  device: { userAgent?: string | undefined; ip?: string | undefined }
  lifecycle: Lifecycle
  /** Signed mode: the cookie value of the last id signed, so re-sending a cookie (rolling, a new expiry) needs no HMAC. */
  signed: { id: string; value: string } | undefined
  /** A write started by `save()` and not finished: later operations wait for it. */
  inflight: Promise<unknown> | undefined

  constructor(services: SessionServices, start: SessionStart) {
    this.services = services
    this.store = start.store
    this.newId = start.newId
    this.rules = start.rules ?? services.rules
    this.id = start.id
    const record = start.record
    this.createdAt = record?.createdAt ?? services.options.clock.now()
    this.device = record === undefined ? {} : { userAgent: record.userAgent, ip: record.ip }
    this.load(record)
    this.lifecycle =
      record === undefined
        ? fresh(start.hadCookie === true)
        : loaded({ rotated: start.rotated === true, touched: start.touched === true })
  }

  /** Takes the data, expiry, version, user and lifetime of `record` (none: an empty session). */
  load(record: SessionRecord | undefined): void {
    this.data = record?.data ?? {}
    this.expiresAt = record?.expiresAt ?? 0
    this.version = record?.version ?? 0
    this.userId = record?.userId ?? undefined
    this.maxAge = record?.maxAge
  }

  /** The input of `planCommit` for the current state. */
  planInput(): PlanInput {
    return {
      now: this.services.options.clock.now(),
      record: this,
      modified: this.changes.modified(this.data),
      touchRequested: this.changes.has('touch'),
      canPatch: typeof this.store.patch === 'function',
      rules: this.rules,
    }
  }

  /** The record as a store keeps it, with the given expiry and version. */
  toRecord(expiresAt: number, version: number): SessionRecord {
    const record: SessionRecord = { data: this.data, createdAt: this.createdAt, expiresAt, version }
    if (this.userId !== undefined) record.userId = this.userId
    if (this.maxAge !== undefined) record.maxAge = this.maxAge
    if (this.device.userAgent !== undefined) record.userAgent = this.device.userAgent
    if (this.device.ip !== undefined) record.ip = this.device.ip
    return record
  }

  /** Starts over under a new id with `data`; without `keepMeta`, the creation time, user and lifetime reset too. */
  reset(lifecycle: Lifecycle, data: Record<string, unknown>, keepMeta: boolean): void {
    this.id = this.newId()
    this.version = 0
    this.expiresAt = 0
    this.data = data
    this.changes.reset()
    this.lifecycle = lifecycle
    if (!keepMeta) {
      this.createdAt = this.services.options.clock.now()
      this.userId = undefined
      this.maxAge = undefined
    }
  }
}
