// @vitest-environment happy-dom
import type { Store } from '@presence/client'
import { act, cleanup, render } from '@testing-library/react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it } from 'vitest'
import { shallow } from './shallow.js'
import { useStore } from './useStore.js'

type TestStore<T> = Store<T> & { set(next: T): void; readonly listeners: number }

/** A minimal store with the client's shape: immutable snapshots, listeners called after a change. */
function createStore<T>(initial: T, server?: T): TestStore<T> {
  let value = initial
  const listeners = new Set<() => void>()
  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot: () => value,
    ...(server === undefined ? {} : { getServerSnapshot: () => server }),
    set(next) {
      value = next
      for (const l of listeners) l()
    },
    get listeners() {
      return listeners.size
    },
  }
}

let renders = 0
const seen: string[][] = []

function PickA({ store }: { store: Store<{ a: number; b: number }> | undefined }) {
  renders++
  return <>{useStore(store, { a: -1, b: -1 }, (s) => s.a)}</>
}

function Ids({ store }: { store: Store<{ ids: string[]; n: number }> }) {
  const ids = useStore(store, { ids: [], n: -1 }, (s) => [...s.ids], shallow)
  seen.push(ids)
  return null
}

function ById({ store, id }: { store: Store<Record<string, string>>; id: string }) {
  return <>{useStore(store, {}, (s) => s[id])}</>
}

function Upper({ store }: { store: Store<string> }) {
  return <>{useStore(store, 'none', (s) => s.toUpperCase())}</>
}

afterEach(() => {
  cleanup()
  renders = 0
  seen.length = 0
})

describe('useStore', () => {
  it('re-renders when the selection changes and not when only the snapshot does', () => {
    const store = createStore({ a: 1, b: 1 })
    const view = render(<PickA store={store} />)
    expect(view.container.textContent).toBe('1')
    expect(renders).toBe(1)
    act(() => store.set({ a: 1, b: 2 }))
    expect(renders).toBe(1)
    act(() => store.set({ a: 2, b: 2 }))
    expect(renders).toBe(2)
    expect(view.container.textContent).toBe('2')
  })

  it('keeps the previous selection when isEqual says it is the same', () => {
    const store = createStore({ ids: ['u1'], n: 0 })
    render(<Ids store={store} />)
    act(() => store.set({ ids: ['u1'], n: 1 }))
    expect(seen).toHaveLength(1)
    act(() => store.set({ ids: ['u1', 'u2'], n: 1 }))
    expect(seen).toHaveLength(2)
    expect(seen[1]).toEqual(['u1', 'u2'])
  })

  it('applies a new selector at once: an inline selector never reads stale props', () => {
    const store = createStore<Record<string, string>>({ u1: 'Ada', u2: 'Grace' })
    const view = render(<ById store={store} id="u1" />)
    expect(view.container.textContent).toBe('Ada')
    view.rerender(<ById store={store} id="u2" />)
    expect(view.container.textContent).toBe('Grace')
  })

  it('subscribes once per mounted component and unsubscribes on unmount', () => {
    const store = createStore({ a: 0, b: 0 })
    const view = render(<PickA store={store} />)
    view.rerender(<PickA store={store} />)
    view.rerender(<PickA store={store} />)
    expect(store.listeners).toBe(1)
    view.unmount()
    expect(store.listeners).toBe(0)
  })

  it('reads the idle value without a store, then the store once there is one', () => {
    const store = createStore({ a: 1, b: 1 })
    const view = render(<PickA store={undefined} />)
    expect(view.container.textContent).toBe('-1')
    view.rerender(<PickA store={store} />)
    expect(view.container.textContent).toBe('1')
    act(() => store.set({ a: 2, b: 1 }))
    expect(view.container.textContent).toBe('2')
    expect(renderToString(<PickA store={undefined} />)).toBe('-1')
  })

  it('renders the server snapshot on the server', () => {
    expect(renderToString(<Upper store={createStore('live', 'idle')} />)).toBe('IDLE')
  })
})
