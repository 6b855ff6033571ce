import { sealedCookie } from '@sess/core'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import type { FastifySessionOptions } from '../src/index.js'
import { fastifySession } from '../src/index.js'

const register = (options: unknown) => {
  const app = Fastify()
  return app.register(fastifySession, options as FastifySessionOptions).ready()
}

// @fastify/session's messages word for word (apps match on them), with sess's codes.
describe('registration errors', () => {
  it('a missing secret', async () => {
    await expect(register({})).rejects.toMatchObject({
      code: 'SECRET_MISSING',
      message: expect.stringMatching(/^the secret option is required, and must be a String, Array of Strings/),
    })
  })
  it('a string secret under 32 characters', async () => {
    await expect(register({ secret: 'x'.repeat(31) })).rejects.toMatchObject({
      code: 'SECRET_TOO_SHORT',
      message: 'the secret must have length 32 or greater',
    })
    await expect(register({ secret: 'x'.repeat(32) })).resolves.toBeDefined()
  })
  it('short secrets inside an array are accepted; an empty array is not', async () => {
    await expect(register({ secret: ['short', 'x'.repeat(40)] })).resolves.toBeDefined()
    await expect(register({ secret: [] })).rejects.toMatchObject({
      code: 'SECRET_MISSING',
      message: 'at least one secret is required',
    })
  })
  it('a Buffer, or a signer without sign or unsign', async () => {
    for (const secret of [Buffer.alloc(32, 1), { sign: (v: string) => v, unsign: true }, { unsign: () => true }]) {
      await expect(register({ secret })).rejects.toMatchObject({ code: 'SECRET_MISSING' })
    }
  })
  it('an invalid cookie.sameSite or maxAge', async () => {
    const secret = 'x'.repeat(32)
    await expect(register({ secret, cookie: { sameSite: 'sideways' } })).rejects.toMatchObject({
      code: 'OPTION_INVALID',
    })
    await expect(register({ secret, cookie: { maxAge: -5 } })).rejects.toMatchObject({ code: 'OPTION_INVALID' })
  })
  it("sealed cookies (@sess/core's store: sealedCookie(), or the removed sealed option) are refused at setup", async () => {
    for (const options of [{ store: sealedCookie() }, { sealed: true }, { sealed: false }]) {
      await expect(register({ secret: 'x'.repeat(32), ...options })).rejects.toMatchObject({
        code: 'OPTION_INVALID',
        message: expect.stringMatching(/^\[sess\] \[fastify\] Sealed cookies \(store: sealedCookie\(\).*not supported/),
      })
    }
  })
})
