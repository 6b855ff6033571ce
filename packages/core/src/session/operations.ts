import { SessionStateError } from '../errors.js'
import { callStore } from '../internal/store-call.js'
import { dropped } from './lifecycle.js'
import { nextExpiresAt, planStore } from './plan.js'
import type { SessionState } from './state.js'
import { writeSession } from './writer.js'

// The operations of a Session that go to the store before the commit. Each first waits for a write that an
// un-awaited `save()` left running, so it sees that write's outcome (a regenerate then destroys the record it made).

/** Throws ALREADY_COMMITTED once the response's commit ran. */
export function assertOpen(state: SessionState): void {
  if (state.lifecycle.phase === 'committed') {
    throw new SessionStateError(
      'ALREADY_COMMITTED',
      '[sess] The session was already committed: change it before the response is sent.',
    )
  }
}

/** New id; the old record destroyed; the data kept or emptied. */
export async function regenerate(state: SessionState, keepData: boolean): Promise<void> {
  await settle(state)
  await destroyRecord(state)
  state.reset(dropped(state.lifecycle, { destroyed: false, expireStale: true }), keepData ? state.data : {}, keepData)
  if (keepData) state.changes.note('save')
}

/** The record destroyed; a new, empty, unsaved session under a new id. */
export async function destroy(state: SessionState): Promise<void> {
  await settle(state)
  await destroyRecord(state)
  state.reset(dropped(state.lifecycle, { destroyed: true, expireStale: true }), {}, false)
}

/** The record read again, unsaved changes dropped; false (and a fresh session) when it is gone. */
export async function reload(state: SessionState): Promise<boolean> {
  await settle(state)
  const got = state.lifecycle.phase === 'stored' ? await state.services.reader.read(state.store, state.id, false) : null
  if (got === null) {
    state.reset(dropped(state.lifecycle, { destroyed: false, expireStale: false }), {}, false)
    return false
  }
  state.load(got.record)
  state.changes.clear(state.data)
  return true
}

/** Writes now: a new session is created, a stored one patched (or touched when nothing changed). */
export async function save(state: SessionState): Promise<void> {
  const pending = settling(state)
  if (pending !== undefined) await pending
  assertOpen(state)
  const input = state.planInput()
  const planned = planStore(state.lifecycle, input)
  const action = planned !== 'none' ? planned : state.lifecycle.phase === 'unsaved' ? 'set' : 'touch'
  const write = writeSession(state, action, nextExpiresAt(state, input), input.now)
  if (!(write instanceof Promise)) return
  // Registered before the first await: an operation called meanwhile waits for it.
  state.inflight = write
  try {
    await write
  } finally {
    if (state.inflight === write) state.inflight = undefined
  }
}

async function destroyRecord(state: SessionState): Promise<void> {
  if (state.lifecycle.phase !== 'stored') return
  const { store, id } = state
  await callStore('destroy', state.services.options.storeTimeout, () => store.destroy(id))
}

async function settle(state: SessionState): Promise<void> {
  const pending = settling(state)
  if (pending !== undefined) await pending
  assertOpen(state)
}

/** The write in flight, as a promise that never rejects (its caller saw the error); checks the session is open. */
function settling(state: SessionState): Promise<unknown> | undefined {
  assertOpen(state)
  return state.inflight?.catch(() => undefined)
}
