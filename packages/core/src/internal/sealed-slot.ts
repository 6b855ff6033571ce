import type { Store, SessionRecord } from '../store.js'

/** The one record a sealed cookie carries, held for the length of one request. */
export interface SealedSlot extends Store {
  /** The payload to seal: the id and the record as JSON, or undefined when the slot is empty. */
  payload(): string | undefined
}

/**
 * A per-request "store" for sealed-cookie mode: the session's writes land here and the cookie is sealed from it at
 * commit. It lets the Session run unchanged whether its record lives in a server store or in the cookie.
 */
export function sealedSlot(initial: { id: string; session: SessionRecord } | undefined): SealedSlot {
  let id = initial?.id
  let json = initial === undefined ? undefined : JSON.stringify(initial.session)
  const read = (key: string): SessionRecord | null =>
    key === id && json !== undefined ? (JSON.parse(json) as SessionRecord) : null
  return {
    payload: () => (id === undefined || json === undefined ? undefined : `{"i":${JSON.stringify(id)},"r":${json}}`),
    get: async (key) => read(key),
    set: async (key, session) => {
      id = key
      json = JSON.stringify(session)
    },
    destroy: async (key) => {
      if (key === id) json = undefined
    },
    // No touch or patch: the whole record is sealed into the cookie anyway, so the session writes it with set.
  }
}

/** Parses an unsealed payload; undefined for anything that is not `{ i: string, r: object }`. Never throws. */
export function parseSealedPayload(payload: string): { id: string; session: unknown } | undefined {
  try {
    const value = JSON.parse(payload) as { i?: unknown; r?: unknown }
    return typeof value?.i === 'string' && value.i !== '' ? { id: value.i, session: value.r } : undefined
  } catch {
    return undefined
  }
}
