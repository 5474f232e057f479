import { describe, expect, it } from 'vitest'
import { parseCookieHeader } from './cookie-header.js'

describe('parseCookieHeader', () => {
  it('reads names and percent-decoded values, the first of a repeated name winning', () => {
    expect(parseCookieHeader('a=1; b=x%7Cy;c="quoted"; a=2')).toEqual({
      a: '1',
      b: 'x|y',
      c: 'quoted',
    })
  })

  it('keeps values that are not valid percent-encoding, and skips parts without a name', () => {
    expect(parseCookieHeader('bad=%E0%A4%A; =nameless; flag; ok=1')).toEqual({
      bad: '%E0%A4%A',
      ok: '1',
    })
  })

  it('cannot be steered into the prototype', () => {
    const cookies = parseCookieHeader('__proto__=x; constructor=y')
    expect(Object.getPrototypeOf(cookies)).toBeNull()
    expect(Object.getOwnPropertyDescriptor(cookies, '__proto__')?.value).toBe('x')
  })
})
