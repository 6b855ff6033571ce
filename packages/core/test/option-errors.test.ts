import { describe, expect, it } from 'vitest'
import { assertKnownOptions, createSessionManager, isSessionError } from '../src/index.js'
import type { SessionManagerOptions } from '../src/index.js'
import { recordingStore, SECRET } from './helpers.js'

const base = (): SessionManagerOptions => ({ secret: SECRET, store: recordingStore() })
const build = (extra: Record<string, unknown>) => () =>
  createSessionManager({ ...base(), ...extra } as SessionManagerOptions)

function expectConfigError(run: () => unknown, message: RegExp): void {
  let thrown: unknown
  try {
    run()
  } catch (error) {
    thrown = error
  }
  expect(isSessionError(thrown)).toBe(true)
  expect(thrown).toMatchObject({ name: 'SessionConfigError', code: 'OPTION_INVALID' })
  expect((thrown as Error).message).toMatch(/^\[sess\] /)
  expect((thrown as Error).message).toMatch(message)
}

describe('setup errors are coded and say what to do (issue 15.5)', () => {
  it('createSessionManager() with no argument', () => {
    expectConfigError(() => createSessionManager(undefined as never), /createSessionManager\(\{ secret, store \}\)/)
  })
  it('a duration in milliseconds by mistake', () => {
    expectConfigError(
      build({ idleTimeout: 86_400_000 }),
      /idleTimeout .*got 86400000\. Seconds, did you pass milliseconds\?/,
    )
    expectConfigError(build({ absoluteTimeout: 2_592_000_000 }), /absoluteTimeout.*did you pass milliseconds/)
    // Out of range but not a plausible millisecond count: no such hint.
    expectConfigError(build({ idleTimeout: -5 }), /idleTimeout(?!.*milliseconds)/)
  })
  it('a typo in an option name names the closest known option', () => {
    expectConfigError(
      build({ saveUnitialized: true }),
      /Unknown option 'saveUnitialized' in createSessionManager\. Did you mean 'saveUninitialized'\?/,
    )
    expectConfigError(build({ idletimeout: 60 }), /Did you mean 'idleTimeout'/)
    expectConfigError(build({ rollling: true }), /Did you mean 'rolling'/)
  })
  it('a name far from every option passes createSessionManager (adapters pass their own through)', () => {
    expect(build({ logLevel: 'info' })).not.toThrow()
  })
  it('assertKnownOptions refuses any unknown name when asked, listing the known ones', () => {
    expectConfigError(
      () => assertKnownOptions({ zzz: 1 }, ['secret', 'store'], { where: 'session()' }),
      /'zzz' in session\(\)\. Known: secret,store\./,
    )
  })
  it('option types are validated', () => {
    expectConfigError(build({ rolling: 'false' }), /rolling must be of type boolean; got "false"/)
    expectConfigError(build({ saveUninitialized: 1 }), /saveUninitialized must be of type boolean; got 1/)
    expectConfigError(build({ generateId: 'abc' }), /generateId must be of type function; got "abc"/)
    expectConfigError(build({ onEvent: {} }), /onEvent must be of type function/)
    expectConfigError(build({ cookie: 'sid' }), /cookie must be of type object; got "sid"/)
    expectConfigError(build({ clock: { now: 5 } }), /clock must be an object with a now\(\) method/)
    expectConfigError(
      build({ idleTimeout: '3600' }),
      /idleTimeout must be a finite number of seconds.*got the string '3600'/,
    )
  })
})
