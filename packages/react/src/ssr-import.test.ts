// @vitest-environment node
import { expect, it } from 'vitest'

// Issue 6: importing the package during server rendering (or from a server component's module
// graph) never reads `window`.
it('imports without reading `window`', async () => {
  expect('window' in globalThis).toBe(false)
  // Dependencies first, so the trap below only sees this package's own module code.
  await import('@presence/client')
  await import('react')
  let reads = 0
  Object.defineProperty(globalThis, 'window', {
    configurable: true,
    get() {
      reads++
      return undefined
    },
  })
  try {
    const mod = await import('./index.js')
    expect(typeof mod.PresenceProvider).toBe('function')
  } finally {
    Reflect.deleteProperty(globalThis, 'window')
  }
  expect(reads).toBe(0)
})
