import { describe, expect, it } from 'vitest'
import { equal, rejectsWith, runCases, sameJson } from './harness.js'

describe('the conformance harness', () => {
  it('counts passes and failures, and keeps each failure with its message', async () => {
    const result = await runCases('test', '1.0.0', [
      { name: 'passes', run: () => equal('a', 'a', 'same') },
      { name: 'fails', run: () => equal('a', 'b', 'letters') },
      { name: 'throws async', run: async () => Promise.reject(new TypeError('boom')) },
    ])
    expect(result).toMatchObject({ runtime: 'test', version: '1.0.0', passed: 1, failed: 2 })
    expect(result.passedNames).toEqual(['passes'])
    expect(result.failures).toEqual([
      { name: 'fails', error: 'AssertionFailed: letters: expected "b", got "a"' },
      { name: 'throws async', error: 'TypeError: boom' },
    ])
  })

  it('fails a case that does not finish within the limit, then runs the next one', async () => {
    const result = await runCases(
      'test',
      '1',
      [
        { name: 'hangs', run: () => new Promise<void>(() => {}) },
        { name: 'after', run: () => {} },
      ],
      50,
    )
    expect(result.failures).toEqual([
      { name: 'hangs', error: 'AssertionFailed: did not finish within 50 ms' },
    ])
    expect(result.passedNames).toEqual(['after'])
  })

  it('compares JSON with key order, and checks error codes', async () => {
    expect(() => sameJson({ a: 1, b: 2 }, { b: 2, a: 1 }, 'order')).toThrow(/order/)
    await rejectsWith(
      () => {
        throw Object.assign(new Error('x'), { code: 'UNAVAILABLE' })
      },
      'UNAVAILABLE',
      'code',
    )
    await expect(rejectsWith(() => 1, 'UNAVAILABLE', 'nothing thrown')).rejects.toThrow(
      /nothing was thrown/,
    )
  })
})
