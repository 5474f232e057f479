// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
import { waitFor } from '@presence/testing'
import { act, cleanup, render } from '@testing-library/react'
import { StrictMode, useEffect } from 'react'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  PresenceProvider,
  shallow,
  useEvent,
  useMyState,
  useOthers,
  useSelf,
  useWhisper,
} from './index.js'
import { type Stack, startStack } from './test/stack.js'

// Live presence hooks against soketi with client events allowed: useOthers with a selector
// and useSelf re-render only when what they read changes; useMyState and useWhisper send
// through the client; StrictMode's double mount changes nothing.

const CHANNEL = 'presence-room@live-hooks'
let stack: Stack

beforeAll(async () => {
  stack = await startStack({ clientMessages: true })
}, 120_000)
afterAll(async () => {
  cleanup()
  await stack?.stop()
})

const renders = { typing: 0, self: 0 }
const latest: { typing: readonly string[]; self: unknown; whispers: unknown[] } = {
  typing: [],
  self: null,
  whispers: [],
}
let update: ((patch: { typing?: boolean }) => void) | undefined
let wave: ((event: string, data: unknown) => void) | undefined

function Typing() {
  renders.typing++
  latest.typing = useOthers(
    CHANNEL,
    (others) => others.filter((m) => m.state.typing === true).map((m) => m.id),
    shallow,
  )
  return null
}

function Self() {
  renders.self++
  latest.self = useSelf(CHANNEL)
  const [, set] = useMyState(CHANNEL)
  const whisper = useWhisper(CHANNEL)
  useEffect(() => {
    update = set
    wave = whisper as (event: string, data: unknown) => void
  })
  useEvent(CHANNEL, 'client-wave', (data) => latest.whispers.push(data))
  return null
}

it('useOthers (selector) and useSelf render only for their selection; useMyState and useWhisper send', async () => {
  const me = stack.connect('me')
  const handle = me.client.subscribe(CHANNEL)
  render(
    <StrictMode>
      <PresenceProvider client={me.client}>
        <Typing />
        <Self />
      </PresenceProvider>
    </StrictMode>,
  )
  const ada = stack.connect('ada')
  const adaHandle = ada.client.subscribe(CHANNEL)
  const heardByAda: unknown[] = []
  ada.client.on(CHANNEL, 'client-wave', (data) => heardByAda.push(data))
  await waitFor(() => me.client.members(CHANNEL).getSnapshot().members.has('ada'), {
    what: 'ada joined',
    timeoutMs: 10_000,
  })
  await waitFor(() => (latest.self as { id?: string } | null)?.id === 'me', { what: 'useSelf' })
  await new Promise((resolve) => setTimeout(resolve, 200))

  // Someone joins who is not typing: neither selection changes.
  renders.typing = 0
  renders.self = 0
  const bo = stack.connect('bo')
  const boHandle = bo.client.subscribe(CHANNEL)
  await waitFor(() => me.client.members(CHANNEL).getSnapshot().members.has('bo'), {
    what: 'bo joined',
  })
  await new Promise((resolve) => setTimeout(resolve, 200))
  expect(renders).toEqual({ typing: 0, self: 0 })

  // Ada starts typing: the typing list renders once (StrictMode renders twice in development).
  ada.client.updateMyState(CHANNEL, { typing: true })
  await waitFor(() => latest.typing.includes('ada'), { what: 'ada typing', timeoutMs: 5_000 })
  await new Promise((resolve) => setTimeout(resolve, 200))
  expect(latest.typing).toEqual(['ada'])
  const typingRenders = renders.typing
  expect(typingRenders).toBeGreaterThan(0)
  expect(typingRenders).toBeLessThanOrEqual(2)
  expect(renders.self).toBe(0)

  // Ada changes another key of her state: the selection (who is typing) stays the same.
  ada.client.updateMyState(CHANNEL, { page: 2 })
  await waitFor(
    () => me.client.members(CHANNEL).getSnapshot().members.get('ada')?.state.page === 2,
    {
      what: 'ada page',
    },
  )
  await new Promise((resolve) => setTimeout(resolve, 200))
  expect(renders.typing).toBe(typingRenders)

  // This user's own state through useMyState: useSelf renders, others hear it.
  act(() => update?.({ typing: true }))
  await waitFor(() => (latest.self as { state?: { typing?: boolean } }).state?.typing === true, {
    what: 'own state',
  })
  await waitFor(
    () => ada.client.members(CHANNEL).getSnapshot().members.get('me')?.state.typing === true,
    { what: 'own state at ada' },
  )
  expect(renders.self).toBeGreaterThan(0)

  // useWhisper → client-wave at ada; ada's whisper reaches useEvent here.
  act(() => wave?.('wave', { from: 'me' }))
  await waitFor(() => heardByAda.length === 1, { what: 'whisper at ada' })
  expect(heardByAda).toEqual([{ from: 'me' }])
  ada.client.whisper(CHANNEL, 'wave', { from: 'ada' })
  await waitFor(() => latest.whispers.length === 1, { what: 'whisper here' })
  expect(latest.whispers).toEqual([{ from: 'ada' }])
  // StrictMode mounted twice: still one subscription.
  expect(me.subscribes(CHANNEL)).toBe(1)

  boHandle.release()
  adaHandle.release()
  handle.release()
})
