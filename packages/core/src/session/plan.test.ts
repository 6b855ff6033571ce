import { describe, expect, it } from 'vitest'
import type { Lifecycle } from './lifecycle.js'
import type { PlanInput, PlanRules } from './plan.js'
import { planCommit } from './plan.js'

const NOW = 1_000_000
const rules: PlanRules = {
  idleTimeout: 100,
  absoluteTimeout: null,
  touchAfter: 10,
  rolling: false,
  saveUninitialized: false,
  persistent: true,
  recordInCookie: false,
}
const input = (over: Omit<Partial<PlanInput>, 'rules'> & { rules?: Partial<PlanRules> } = {}): PlanInput => ({
  now: NOW,
  // Stored 5 s ago with a 100 s idle timeout: a refresh would gain 5 s, under touchAfter.
  record: { createdAt: NOW - 50_000, expiresAt: NOW + 95_000, maxAge: undefined },
  modified: false,
  touchRequested: false,
  canPatch: true,
  ...over,
  rules: { ...rules, ...over.rules },
})

const unsaved = (clearCookie = false, destroyed = false, staleCookie = false): Lifecycle => ({
  phase: 'unsaved',
  clearCookie,
  staleCookie,
  destroyed,
})
const stored = (cookie: 'new' | 'resend' | 'keep' = 'keep', extended = false): Lifecycle => ({
  phase: 'stored',
  cookie,
  extended,
})

describe('planCommit', () => {
  const cases: Array<[string, Lifecycle, PlanInput, string, string]> = [
    ['fresh, untouched', unsaved(), input(), 'none', 'none'],
    ['fresh with a stale cookie, untouched', unsaved(false, false, true), input(), 'none', 'none'],
    ['regenerated from a stored session, untouched', unsaved(true), input(), 'none', 'expire'],
    ['fresh, data set', unsaved(), input({ modified: true }), 'set', 'set'],
    ['fresh, saveUninitialized', unsaved(), input({ rules: { saveUninitialized: true } }), 'set', 'set'],
    [
      'destroyed, saveUninitialized',
      unsaved(true, true),
      input({ rules: { saveUninitialized: true } }),
      'none',
      'expire',
    ],
    ['destroyed, then data set', unsaved(true, true), input({ modified: true }), 'set', 'set'],
    ['stored, read only', stored(), input(), 'none', 'none'],
    ['stored, changed, patch store', stored(), input({ modified: true }), 'patch', 'set'],
    ['stored, changed, no patch', stored(), input({ modified: true, canPatch: false }), 'set', 'set'],
    ['stored, touch() within touchAfter', stored(), input({ touchRequested: true }), 'touch', 'set'],
    [
      'stored, refresh due',
      stored(),
      input({ record: { createdAt: 0, expiresAt: NOW + 50_000, maxAge: undefined } }),
      'touch',
      'set',
    ],
    ['stored, rolling', stored(), input({ rules: { rolling: true } }), 'none', 'set'],
    ['stored, rotated secret', stored('resend'), input(), 'none', 'set'],
    ['stored under an id new this request (save())', stored('new'), input(), 'none', 'set'],
    ['stored, extended by getAndTouch', stored('keep', true), input(), 'none', 'set'],
    [
      'stored, extended, browser-session cookie',
      stored('keep', true),
      input({ rules: { persistent: false } }),
      'none',
      'none',
    ],
    [
      'stored, changed, browser-session cookie',
      stored(),
      input({ modified: true, rules: { persistent: false } }),
      'patch',
      'none',
    ],
    [
      'sealed (record in the cookie), changed, browser-session cookie',
      stored(),
      input({ modified: true, canPatch: false, rules: { persistent: false, recordInCookie: true } }),
      'set',
      'set',
    ],
    [
      'sealed, touch() with a browser-session cookie',
      stored(),
      input({ touchRequested: true, canPatch: false, rules: { persistent: false, recordInCookie: true } }),
      'touch',
      'set',
    ],
    [
      'sealed, read only, browser-session cookie',
      stored(),
      input({ canPatch: false, rules: { persistent: false, recordInCookie: true } }),
      'none',
      'none',
    ],
    ['committed', { phase: 'committed', stored: true }, input({ modified: true }), 'none', 'none'],
  ]
  it.each(cases)('%s → store %s, cookie %s', (_, state, given, store, cookie) => {
    const plan = planCommit(state, given)
    expect([plan.store, plan.cookie]).toEqual([store, cookie])
  })

  it('gives the written expiry and its Max-Age to the cookie', () => {
    const plan = planCommit(stored(), input({ modified: true }))
    expect(plan.expiresAt).toBe(NOW + 100_000)
    expect(plan.lifetime).toEqual({ maxAge: 100, expiresAtMs: NOW + 100_000 })
  })
  it('keeps the record expiry when nothing is written', () => {
    const plan = planCommit(stored('resend'), input())
    expect(plan.lifetime).toEqual({ maxAge: 95, expiresAtMs: NOW + 95_000 })
  })
  it('follows a per-session maxAge, caps at the absolute timeout, and expires with Max-Age 0', () => {
    const own = input({ modified: true, record: { createdAt: NOW, expiresAt: NOW + 1000, maxAge: 500 } })
    expect(planCommit(stored(), own).lifetime).toEqual({ maxAge: 500, expiresAtMs: NOW + 500_000 })
    const capped = input({ modified: true, rules: { absoluteTimeout: 60 } })
    expect(planCommit(stored(), capped).expiresAt).toBe(NOW + 10_000)
    expect(planCommit(unsaved(true), input()).lifetime).toEqual({ maxAge: 0, expiresAtMs: 0 })
  })
  it('makes a browser-session cookie for maxAge null', () => {
    const plan = planCommit(
      unsaved(),
      input({ modified: true, record: { createdAt: NOW, expiresAt: 0, maxAge: null } }),
    )
    expect([plan.cookie, plan.lifetime]).toEqual(['set', undefined])
  })
})
