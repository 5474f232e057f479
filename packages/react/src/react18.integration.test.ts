// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
import { sleep, soketiChannelUsers, waitFor } from '@presence/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { loadReact18, type React18App } from './test/react18.js'
import { type Stack, startStack } from './test/stack.js'

// The StrictMode guarantee on React 18.3 (the hooks bundled against react-18 / react-dom-18),
// with the real client, soketi and @presence/server: one subscribe and one auth request per
// channel, and leaving on unmount.

let stack: Stack
let app: React18App

beforeAll(async () => {
  // React 18 warns about updates outside act() when this is on; these renders are real ones.
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false
  ;[stack, app] = await Promise.all([startStack(), loadReact18()])
})

afterAll(async () => {
  await stack?.stop()
})

it('subscribes once under React 18 StrictMode and leaves on unmount', async () => {
  expect(app.version).toMatch(/^18\./)
  const ada = stack.connect('ada', { graceMs: 50 })
  const container = document.createElement('div')
  document.body.append(container)
  const unmount = app.mountStrict(container, ada.client, 'presence-room@r18')
  await waitFor(() => container.textContent === 'subscribed 1 ada subscribed', {
    timeoutMs: 10_000,
    what: `both channels subscribed (now "${container.textContent}")`,
  })
  await sleep(200)
  for (const name of ['presence-room@r18', 'private-feed@presence-room@r18']) {
    expect(ada.subscribes(name)).toBe(1)
    expect(ada.requests.filter((r) => r.channels.includes(name))).toHaveLength(1)
  }
  expect(await soketiChannelUsers(stack.soketi, 'presence-room@r18')).toEqual(['ada'])
  unmount()
  container.remove()
  await waitFor(
    async () => (await soketiChannelUsers(stack.soketi, 'presence-room@r18')).length === 0,
    {
      timeoutMs: 5_000,
      what: 'ada leaving presence-room@r18',
    },
  )
})
