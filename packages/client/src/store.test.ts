import { describe, expect, it } from 'vitest'
import { createStore } from './store.js'

describe('createStore', () => {
  it('notifies on a new reference only, and serves the initial value to the server', () => {
    const a = { n: 1 }
    const store = createStore(a)
    let calls = 0
    const off = store.subscribe(() => calls++)
    store.set(a)
    expect(calls).toBe(0)
    const b = { n: 2 }
    store.set(b)
    expect(calls).toBe(1)
    expect(store.getSnapshot()).toBe(b)
    expect(store.getServerSnapshot()).toBe(a)
    off()
    store.set({ n: 3 })
    expect(calls).toBe(1)
  })

  it('counts the same listener subscribed twice as two subscriptions', () => {
    const store = createStore(0)
    let calls = 0
    const listener = () => calls++
    const off1 = store.subscribe(listener)
    store.subscribe(listener)
    store.set(1)
    expect(calls).toBe(2)
    off1()
    store.set(2)
    expect(calls).toBe(3)
  })

  it('lets a listener unsubscribe another during a notification', () => {
    const store = createStore(0)
    const seen: string[] = []
    let offB = () => {}
    store.subscribe(() => {
      seen.push('a')
      offB()
    })
    offB = store.subscribe(() => seen.push('b'))
    store.set(1)
    store.set(2)
    // b ran in the first round (the listeners were copied), not in the second.
    expect(seen).toEqual(['a', 'b', 'a'])
  })
})
