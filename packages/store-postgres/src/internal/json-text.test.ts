import { describe, expect, it } from 'vitest'
import { fromJSONText, toJSONText } from './json-text.js'

describe('JSON text for jsonb', () => {
  it('leaves text without NUL, lone surrogates or the mark exactly as JSON.stringify writes it', () => {
    const value = { a: 'plain', b: [1, 'é', '👩‍👩‍👧'], 'c\\u0000': 'backslash then u0000' }
    expect(toJSONText(value)).toBe(JSON.stringify(value))
    expect(fromJSONText(toJSONText(value))).toEqual(value)
  })

  it('writes no \\u0000 and no lone surrogate escape, and reads every string back unchanged', () => {
    const strings = [
      '\u0000',
      'a\u0000b\u0000',
      '\ud800',
      '\udfff\ud800',
      '\ue000',
      '\ue0000',
      '\ue0001',
      '\ue000u0041',
      '\\\u0000',
      '\\\\u0000',
    ]
    for (const s of strings) {
      const text = toJSONText({ [s]: s })
      expect(text).not.toMatch(/(?<!\\)(\\\\)*\\u(0000|d[89a-f])/)
      expect(fromJSONText(text)).toEqual({ [s]: s })
    }
  })

  it('throws a SyntaxError on text that is not JSON', () => {
    expect(() => fromJSONText('{')).toThrow(SyntaxError)
  })
})
