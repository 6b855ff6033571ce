// Setup errors and warnings (issue 15, point 5). Warnings print once per process, so this file has its own.
import express from 'express'
import type { ErrorRequestHandler } from 'express'
import { afterEach, describe, expect, it, vi } from 'vitest'
import session from '../src/index.js'
import type { SessionOptions } from '../src/index.js'
import type { Served } from './helpers.js'
import { SECRET, serve } from './helpers.js'

const running: Served[] = []
afterEach(async () => {
  vi.restoreAllMocks()
  vi.unstubAllEnvs()
  await Promise.all(running.splice(0).map((s) => s.close()))
})

const warnings = (): ReturnType<typeof vi.spyOn> => vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
const codeOf = (run: () => unknown): unknown => {
  try {
    run()
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message }
  }
  return 'no error'
}

describe('setup errors', () => {
  it('options of the wrong type fail with OPTION_INVALID naming the option', () => {
    const cases: [Partial<SessionOptions>, RegExp][] = [
      [{ resave: 'false' as never }, /resave must be true or false; got "false"/],
      [{ saveUninitialized: 0 as never }, /saveUninitialized must be true or false/],
      [{ genid: 'abc' as never }, /genid must be a function/],
      [{ cookie: { maxAge: 'abc' as never } }, /cookie\.maxAge must be a number of milliseconds/],
      [{ cookie: { expires: new Date(Number.NaN) } }, /cookie\.expires must be a valid Date/],
    ]
    for (const [options, message] of cases) {
      const error = codeOf(() => session({ secret: SECRET, ...options })) as { code: string; message: string }
      expect(error.code).toBe('OPTION_INVALID')
      expect(error.message).toMatch(/^\[sess\] \[express\] /)
      expect(error.message).toMatch(message)
    }
    expect(codeOf(() => session(42 as never))).toMatchObject({ code: 'OPTION_INVALID' })
    // express-session's milliseconds, below a second included, are accepted (no message about idleTimeout).
    expect(codeOf(() => session({ secret: SECRET, cookie: { maxAge: 500 } }))).toBe('no error')
  })

  it('session() without options starts, warns, and fails each request with SECRET_MISSING saying what to do', async () => {
    const warn = warnings()
    const app = express()
    app.use(session())
    const onError: ErrorRequestHandler = (err, _req, res, _next) => {
      res.status(500).json({ code: err.code, message: err.message })
    }
    app.use(onError)
    const served = await serve(app)
    running.push(served)
    const body = (await (await served.request('/')).json()) as { code: string; message: string }
    expect(body.code).toBe('SECRET_MISSING')
    expect(body.message).toMatch(/secret option is required/)
    expect(body.message).toMatch(/cookie-parser/)
    expect(body.message).not.toMatch(/32 characters/)
    expect(warn.mock.calls.flat().join('\n')).toMatch(/has no secret/)
  })

  it('an empty secret array or an empty Buffer fails with SECRET_MISSING', () => {
    expect(codeOf(() => session({ secret: [] }))).toMatchObject({ code: 'SECRET_MISSING' })
    expect(codeOf(() => session({ secret: [Buffer.alloc(0)] }))).toMatchObject({ code: 'SECRET_MISSING' })
  })
})

describe('warnings', () => {
  it('an unknown option warns once, suggesting the option it resembles', () => {
    const warn = warnings()
    const typo = { secret: SECRET, saveUnitialized: false } as unknown as SessionOptions
    session(typo)
    session(typo)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]?.[0]).toMatch(/Unknown option "saveUnitialized" \(did you mean "saveUninitialized"\?\)/)
  })

  it('under NODE_ENV=production the MemoryStore and a short secret warn once each, saying why', () => {
    const warn = warnings()
    session({ secret: SECRET })
    expect(warn).not.toHaveBeenCalled()
    vi.stubEnv('NODE_ENV', 'production')
    session({ secret: SECRET })
    session({ secret: SECRET, store: new session.MemoryStore() })
    const printed = warn.mock.calls.map((call: unknown[]) => String(call[0]))
    expect(printed).toHaveLength(2)
    expect(printed.find((m: string) => m.includes('MemoryStore'))).toMatch(/this process only.*lost on restart/)
    expect(printed.find((m: string) => m.includes('secret'))).toMatch(/32\+ random characters/)
  })
})
