import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createOutbox } from './outbox.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('outbox', () => {
  it('sends the first message at once and the next ones 100 ms apart (10 per second)', () => {
    const outbox = createOutbox(100, () => Date.now())
    const sent: number[] = []
    for (let i = 0; i < 30; i++) outbox.put(`m${i}`, () => sent.push(Date.now()))
    expect(sent).toHaveLength(1)
    vi.advanceTimersByTime(999)
    expect(sent).toHaveLength(10)
    for (let i = 1; i < sent.length; i++)
      expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(100)
    vi.advanceTimersByTime(3000)
    expect(sent).toHaveLength(30)
  })

  it('coalesces messages of one key: the last one leaves, in the place of the first', () => {
    const outbox = createOutbox(100, () => Date.now())
    const sent: string[] = []
    outbox.put('other', () => sent.push('first'))
    for (let i = 0; i < 100; i++) outbox.put('state', () => sent.push(`state ${i}`))
    outbox.put('whisper', () => sent.push('whisper'))
    vi.advanceTimersByTime(1000)
    expect(sent).toEqual(['first', 'state 99', 'whisper'])
  })

  it('clear drops what is queued', () => {
    const outbox = createOutbox(100, () => Date.now())
    const sent: string[] = []
    outbox.put('a', () => sent.push('a'))
    outbox.put('b', () => sent.push('b'))
    outbox.clear()
    vi.advanceTimersByTime(1000)
    expect(sent).toEqual(['a'])
  })
})
