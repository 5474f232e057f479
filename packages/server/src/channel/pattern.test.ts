import fc from 'fast-check'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { overlapWitness, patternsOverlap } from './overlap.js'
import { compilePattern, type PatternParams } from './pattern.js'

describe('compilePattern', () => {
  it('matches params up to the next literal and types them from the string', () => {
    const pattern = compilePattern('presence-chat@{chatId}-{topic}')
    expect(pattern.match('presence-chat@12-a-b')).toEqual({ chatId: '12', topic: 'a-b' })
    expect(pattern.match('presence-chat@12')).toBeNull()
    expect(pattern.params).toEqual(['chatId', 'topic'])
    expectTypeOf<PatternParams<'presence-chat@{chatId}-{topic}'>>().toEqualTypeOf<{
      readonly chatId: string
      readonly topic: string
    }>()
    expectTypeOf<PatternParams<'presence-messenger'>>().toEqualTypeOf<{}>()
  })

  it('needs one or more characters per param', () => {
    const pattern = compilePattern('private-session-{sessionId}')
    expect(pattern.match('private-session-8f2c-11aa')).toEqual({ sessionId: '8f2c-11aa' })
    expect(pattern.match('private-session-')).toBeNull()
  })

  it('is explicit about the type', () => {
    expect(compilePattern('private-stream@{id}').match('private-encrypted-stream@1')).toBeNull()
    expect(compilePattern('private-{feature}').type).toBe('private')
    expect(compilePattern('private-encrypted-stream@{id}').type).toBe('private-encrypted')
  })

  it.each([
    ['presence-messenger', 'messenger'],
    ['private-stream@{id}', 'stream'],
    ['private-session-{id}', null], // 'private-session-a@b' has feature 'session-a'
    ['private-session-main', 'session'],
    ['private-stream-viewer@{id}', 'stream-viewer'],
    ['private-{feature}@{id}', null],
    ['private-a-{x}@{y}', null],
    ['private-{x}', null],
  ])('%s has feature %s', (source, feature) => {
    expect(compilePattern(source).feature).toBe(feature)
  })

  it.each([
    ['stream@{id}', /must start with/],
    ['private-{a}{b}', /without a literal/],
    ['private-{a}-{a}', /appears twice/],
    ['private-a b-{x}', /outside Pusher/],
    ['private-{x', /outside Pusher/],
    ['private-@{id}', /feature .* is empty/],
  ])('rejects %s', (source, message) => {
    expect(() => compilePattern(source)).toThrowError(message)
  })
})

describe('patternsOverlap', () => {
  const overlap = (a: string, b: string) => patternsOverlap(compilePattern(a), compilePattern(b))
  it('finds names matching both', () => {
    expect(overlap('private-stream@{id}', 'private-stream@{streamId}')).toBe(true)
    expect(overlap('private-{f}@{id}', 'private-stream@{id}')).toBe(true)
    expect(overlap('private-x@{a}-1', 'private-x@1-{b}')).toBe(true)
  })
  it('tells disjoint patterns apart', () => {
    expect(overlap('private-stream@{id}', 'private-encrypted-stream@{id}')).toBe(false)
    expect(overlap('private-stream@{id}', 'presence-stream@{id}')).toBe(false)
    expect(overlap('private-stream@{id}', 'private-goal@{id}')).toBe(false)
    expect(overlap('private-x@{a}-1', 'private-x@{a}-2')).toBe(false)
    expect(overlap('private-x@a{a}', 'private-x@b{a}')).toBe(false)
  })
})

describe('patternsOverlap is complete for the pattern language', () => {
  const overlap = (a: string, b: string) => patternsOverlap(compilePattern(a), compilePattern(b))

  it('finds overlaps whatever the features', () => {
    expect(overlap('private-a-{x}', 'private-a-b@{y}')).toBe(true) // 'private-a-b@x'
    expect(overlap('private-session-{id}', 'private-session-a@{x}')).toBe(true)
    expect(overlap('presence-{x}-end', 'presence-start-{y}')).toBe(true)
    expect(overlap('private-a@{x}', 'private-{y}@b')).toBe(true)
  })

  it('keeps private patterns to names of type private', () => {
    // 'private-{x}' would match 'private-encrypted-q' as text, but that name is another type.
    expect(overlap('private-{x}', 'private-encrypted-q')).toBe(false)
    expect(overlap('private-{x}-q', 'private-encrypte{y}')).toBe(true) // 'private-encrypteX-q'
  })

  it('finds no overlap past the 200-character limit', () => {
    const long = 'a'.repeat(100)
    expect(overlap(`private-${long}{x}`, `private-{y}${long}b`)).toBe(true)
    expect(overlap(`private-${long}{x}`, `private-{y}b${long}`)).toBe(false) // needs 201+ chars
  })

  // Brute force: every name over a small alphabet, checked with the patterns' own matchers.
  const ALPHABET = ['a', '-', '@']
  const namesUpTo = (max: number) => {
    const all: string[] = ['']
    let layer = ['']
    for (let n = 1; n <= max; n++) {
      layer = layer.flatMap((s) => ALPHABET.map((c) => s + c))
      all.push(...layer)
    }
    return all
  }
  const NAMES = namesUpTo(7)
  const segment = fc.oneof(fc.constantFrom('a', '-', '@', 'a-', '@a'), fc.constant('{p}'))
  const rest = fc
    .array(segment, { minLength: 1, maxLength: 3 })
    .map((parts) => {
      let out = ''
      let n = 0
      for (const part of parts) {
        if (part === '{p}') {
          if (out.endsWith('}')) continue
          out += `{p${n++}}`
        } else out += part
      }
      return out
    })
    .filter((text) => {
      try {
        compilePattern(`private-${text}`)
        return true
      } catch {
        return false // e.g. an empty feature
      }
    })

  it('agrees with brute force on random patterns (property)', () => {
    fc.assert(
      fc.property(rest, rest, (ra, rb) => {
        const a = compilePattern(`private-${ra}`)
        const b = compilePattern(`private-${rb}`)
        const witness = overlapWitness(a, b)
        const brute = NAMES.map((s) => `private-${s}`).find(
          (name) => a.match(name) !== null && b.match(name) !== null,
        )
        // Complete: a name matching both is always found...
        if (brute !== undefined) expect(witness).not.toBeNull()
        // ...and sound: the witness matches both (these patterns overlap within 7 characters).
        if (witness !== null) {
          expect(a.match(witness)).not.toBeNull()
          expect(b.match(witness)).not.toBeNull()
          expect(brute).toBeDefined()
        }
      }),
      { numRuns: 1000 },
    )
  })
})
