import { describe, expect, expectTypeOf, it } from 'vitest'
import { compilePattern, type PatternParams, patternsOverlap } from './pattern.js'

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
    ['private-session-{id}', 'session'],
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
