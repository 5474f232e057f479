// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}

import type { PresenceClient } from '@presence/client'
import { sleep, soketiChannelUsers } from '@presence/testing'
import { act, cleanup, render, waitFor } from '@testing-library/react'
import Pusher from 'pusher'
import PusherJs from 'pusher-js'
import { StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  PresenceProvider,
  useActiveChannel,
  useActiveList,
  useChannel,
  useEvent,
  useIsOnline,
  usePresence,
  usePresenceClient,
} from './index.js'
import { type Stack, startStack } from './test/stack.js'

// Issue 6, acceptance 1: the hooks with the real client, real soketi and the real
// @presence/server (its own process), no mocked pusher. happy-dom's same-origin policy is off
// because the test helpers (startSoketi's readiness probe) use the global `fetch` too.

const GRACE_MS = 50
let stack: Stack
let trigger: Pusher

beforeAll(async () => {
  stack = await startStack()
  trigger = new Pusher(stack.soketi.pusherOptions)
})

afterAll(async () => {
  await stack?.stop()
})

afterEach(cleanup)

function Status({ name, enabled = true }: { name: string; enabled?: boolean }) {
  const { status, error } = useChannel(name, { enabled })
  return (
    <p data-testid={name}>
      {status}
      {error ? ` ${error.code}` : ''}
    </p>
  )
}

function Room({ name }: { name: string }) {
  const { status, count, me } = usePresence<{ name: string }>(name)
  return (
    <p data-testid="room">
      {name} {status} {count} {me?.info.name}
    </p>
  )
}

function Listener({ name, label, log }: { name: string; label: string; log: string[] }) {
  useChannel(name)
  useEvent<{ n: number }>(name, 'update', (data) => log.push(`${label}:${data.n}`))
  return null
}

function Messenger({ enabled }: { enabled: boolean }) {
  useActiveChannel('presence-messenger', { enabled })
  const list = useActiveList('presence-messenger')
  return <p data-testid="list">{[...list].sort().join(',')}</p>
}

/** A contact whose id may be missing (a nullable email column), as a messenger lists them. */
function Badge({ id }: { id: string | null | undefined }) {
  return <span>{`${String(id)}:${useIsOnline(id) ? 'on' : 'off'} `}</span>
}

function Badges({ ids }: { ids: ReadonlyArray<string | null | undefined> }) {
  useActiveChannel('presence-messenger')
  return (
    <p data-testid="badges">
      {ids.map((id) => (
        <Badge key={String(id)} id={id} />
      ))}
    </p>
  )
}

function ClientProbe({ seen }: { seen: Set<PresenceClient> }) {
  const client = usePresenceClient()
  if (client) seen.add(client)
  return <Room name="presence-room@lazy" />
}

const text = (root: HTMLElement) => root.textContent ?? ''

describe('@presence/react against soketi and @presence/server', () => {
  it('under StrictMode, subscribes once and sends one auth request', async () => {
    const ada = stack.connect('ada', { graceMs: GRACE_MS })
    const view = render(
      <StrictMode>
        <PresenceProvider client={ada.client}>
          <Status name="private-feed@strict" />
          <Room name="presence-room@strict" />
        </PresenceProvider>
      </StrictMode>,
    )
    await waitFor(() => expect(text(view.getByTestId('private-feed@strict'))).toBe('subscribed'), {
      timeout: 10_000,
    })
    await waitFor(
      () => expect(text(view.getByTestId('room'))).toBe('presence-room@strict subscribed 1 ada'),
      { timeout: 10_000 },
    )
    await sleep(GRACE_MS * 4)
    for (const name of ['private-feed@strict', 'presence-room@strict']) {
      expect(ada.subscribes(name)).toBe(1)
      expect(ada.requests.filter((r) => r.channels.includes(name))).toHaveLength(1)
    }
    expect(await soketiChannelUsers(stack.soketi, 'presence-room@strict')).toEqual(['ada'])
    view.unmount()
    await waitFor(
      async () =>
        expect(await soketiChannelUsers(stack.soketi, 'presence-room@strict')).toEqual([]),
      { timeout: 5_000 },
    )
  })

  it('sends the channels of 30 hooks mounted in one commit as one request, at the end of its task', async () => {
    const ada = stack.connect('ada', { graceMs: GRACE_MS })
    // connected first: the hooks' effects, not pusher-js's connect burst, make the subscriptions
    await waitFor(() => expect(ada.client.pusher.connection.state).toBe('connected'), {
      timeout: 10_000,
    })
    const names = Array.from({ length: 30 }, (_, i) => `private-feed@commit-${i}`)
    const view = render(
      <StrictMode>
        <PresenceProvider client={ada.client}>
          {names.map((name) => (
            <Status key={name} name={name} />
          ))}
        </PresenceProvider>
      </StrictMode>,
    )
    await waitFor(
      () => {
        for (const name of names) expect(text(view.getByTestId(name))).toBe('subscribed')
      },
      { timeout: 10_000 },
    )
    expect(ada.requests).toEqual([{ path: '/batch', channels: names }])
    view.unmount()
  })

  it('keeps delivering to a component when another one on the same channel unmounts', async () => {
    const ada = stack.connect('ada', { graceMs: GRACE_MS })
    const name = 'private-feed@shared'
    const log: string[] = []
    // Count handler bindings (the call passes through to the real client).
    let binds = 0
    const on = ada.client.on.bind(ada.client) as (...args: unknown[]) => () => void
    ada.client.on = ((...args: unknown[]) => {
      binds++
      return on(...args)
    }) as typeof ada.client.on
    const view = render(
      <PresenceProvider client={ada.client}>
        <Listener key="a" name={name} label="a" log={log} />
        <Listener key="b" name={name} label="b" log={log} />
      </PresenceProvider>,
    )
    await waitFor(() => expect(ada.client.members(name).getSnapshot().status).toBe('subscribed'), {
      timeout: 10_000,
    })
    await trigger.trigger(name, 'update', { n: 1 })
    await waitFor(() => expect([...log].sort()).toEqual(['a:1', 'b:1']))

    view.rerender(
      <PresenceProvider client={ada.client}>
        <Listener key="b" name={name} label="b" log={log} />
      </PresenceProvider>,
    )
    await sleep(GRACE_MS * 4)
    await trigger.trigger(name, 'update', { n: 2 })
    await waitFor(() => expect(log).toContain('b:2'))

    // A new handler (new props) is used at once, without resubscribing.
    view.rerender(
      <PresenceProvider client={ada.client}>
        <Listener key="b" name={name} label="c" log={log} />
      </PresenceProvider>,
    )
    await trigger.trigger(name, 'update', { n: 3 })
    await waitFor(() => expect(log).toContain('c:3'))
    await sleep(100)
    expect(log).toEqual(
      ['a:1', 'b:1', 'b:2', 'c:3'].sort((x, y) => log.indexOf(x) - log.indexOf(y)),
    )
    expect(log.filter((l) => l.endsWith(':2'))).toEqual(['b:2'])
    expect(log.filter((l) => l.endsWith(':3'))).toEqual(['c:3'])
    expect(ada.subscribes(name)).toBe(1)
    expect(ada.requests.filter((r) => r.channels.includes(name))).toHaveLength(1)
    // Two mounts bound twice; the new handler of the remaining one did not rebind.
    expect(binds).toBe(2)
  })

  it('leaves the old channel and joins the new one when `name` changes', async () => {
    const ada = stack.connect('ada', { graceMs: GRACE_MS })
    const view = render(
      <PresenceProvider client={ada.client}>
        <Room name="presence-room@1" />
      </PresenceProvider>,
    )
    await waitFor(
      () => expect(text(view.getByTestId('room'))).toBe('presence-room@1 subscribed 1 ada'),
      { timeout: 10_000 },
    )
    expect(await soketiChannelUsers(stack.soketi, 'presence-room@1')).toEqual(['ada'])

    view.rerender(
      <PresenceProvider client={ada.client}>
        <Room name="presence-room@2" />
      </PresenceProvider>,
    )
    await waitFor(
      () => expect(text(view.getByTestId('room'))).toBe('presence-room@2 subscribed 1 ada'),
      { timeout: 10_000 },
    )
    await waitFor(
      async () => {
        expect(await soketiChannelUsers(stack.soketi, 'presence-room@1')).toEqual([])
        expect(await soketiChannelUsers(stack.soketi, 'presence-room@2')).toEqual(['ada'])
      },
      { timeout: 5_000 },
    )
    // The old channel's store was cleared: no ghost members.
    expect(ada.client.members('presence-room@1').getSnapshot()).toMatchObject({
      status: 'idle',
      count: 0,
    })
  })

  it('signing out (enabled → false) leaves the presence channel and empties the list', async () => {
    const ada = stack.connect('ada', { graceMs: GRACE_MS })
    const grace = stack.connect('grace', { graceMs: GRACE_MS })
    const adaView = render(
      <PresenceProvider client={ada.client}>
        <Messenger enabled />
      </PresenceProvider>,
    )
    const graceView = render(
      <PresenceProvider client={grace.client}>
        <Messenger enabled />
      </PresenceProvider>,
    )
    for (const view of [adaView, graceView]) {
      await waitFor(() => expect(text(view.container)).toBe('ada,grace'), {
        timeout: 10_000,
      })
    }

    adaView.rerender(
      <PresenceProvider client={ada.client}>
        <Messenger enabled={false} />
      </PresenceProvider>,
    )
    await waitFor(() => expect(text(adaView.container)).toBe(''), { timeout: 5_000 })
    await waitFor(() => expect(text(graceView.container)).toBe('grace'), {
      timeout: 5_000,
    })
    expect(await soketiChannelUsers(stack.soketi, 'presence-messenger')).toEqual(['grace'])

    // Signing in again joins again.
    adaView.rerender(
      <PresenceProvider client={ada.client}>
        <Messenger enabled />
      </PresenceProvider>,
    )
    await waitFor(() => expect(text(graceView.container)).toBe('ada,grace'), {
      timeout: 10_000,
    })
    await act(() => sleep(0))
  })

  it('useIsOnline reads false for a null or undefined id, next to present members', async () => {
    const ada = stack.connect('ada', { graceMs: GRACE_MS })
    const ids = ['ada', null, undefined, 'nobody']
    const view = render(
      <PresenceProvider client={ada.client}>
        <Badges ids={ids} />
      </PresenceProvider>,
    )
    await waitFor(
      () => expect(text(view.container)).toBe('ada:on null:off undefined:off nobody:off '),
      { timeout: 10_000 },
    )
  })

  it('reports a refused channel with the server code', async () => {
    const ada = stack.connect('ada', { graceMs: GRACE_MS })
    const view = render(
      <PresenceProvider client={ada.client}>
        <Status name="private-unknown@1" />
      </PresenceProvider>,
    )
    await waitFor(
      () => expect(text(view.getByTestId('private-unknown@1'))).toBe('forbidden CHANNEL_UNKNOWN'),
      { timeout: 10_000 },
    )
  })
  it('creates one client from `options` under StrictMode and destroys it after unmount', async () => {
    const seen = new Set<PresenceClient>()
    const requests: string[] = []
    const before = PusherJs.instances.length
    const view = render(
      <StrictMode>
        <PresenceProvider
          options={{
            pusher: { key: stack.soketi.key, ...stack.soketi.pusherJsOptions },
            auth: {
              endpoint: `${stack.appUrl}/auth`,
              batchEndpoint: `${stack.appUrl}/batch`,
              headers: { Authorization: 'Bearer lazy-ada' },
              fetch: (input, init) => {
                requests.push(String(input))
                return fetch(input, init)
              },
            },
            user: { id: 'lazy-ada' },
            graceMs: GRACE_MS,
          }}
        >
          <ClientProbe seen={seen} />
        </PresenceProvider>
      </StrictMode>,
    )
    await waitFor(
      () => expect(text(view.getByTestId('room'))).toBe('presence-room@lazy subscribed 1 lazy-ada'),
      { timeout: 10_000 },
    )
    // One pusher-js instance (one socket), one client, one auth request.
    expect(PusherJs.instances.length - before).toBe(1)
    expect(seen.size).toBe(1)
    expect(requests).toHaveLength(1)
    const [client] = [...seen]
    view.unmount()
    await waitFor(() => expect(client?.pusher.connection.state).toBe('disconnected'), {
      timeout: 5_000,
    })
    await waitFor(
      async () => expect(await soketiChannelUsers(stack.soketi, 'presence-room@lazy')).toEqual([]),
      { timeout: 5_000 },
    )
  })
  it('hydrates server HTML without a mismatch, then shows the live channel', async () => {
    const ada = stack.connect('ada', { graceMs: GRACE_MS })
    // The client already holds the channel, so its live snapshot differs from the server's.
    const held = ada.client.subscribe('presence-room@hydrate')
    await waitFor(
      () =>
        expect(ada.client.members('presence-room@hydrate').getSnapshot().status).toBe('subscribed'),
      { timeout: 10_000 },
    )
    const html = renderToString(
      <PresenceProvider client={null}>
        <Room name="presence-room@hydrate" />
      </PresenceProvider>,
    )
    const container = document.createElement('div')
    container.innerHTML = html
    expect(text(container)).toBe('presence-room@hydrate idle 0 ')
    document.body.append(container)
    const errors: unknown[] = []
    const root = await act(async () =>
      hydrateRoot(
        container,
        <PresenceProvider client={ada.client}>
          <Room name="presence-room@hydrate" />
        </PresenceProvider>,
        { onRecoverableError: (error) => errors.push(error) },
      ),
    )
    await waitFor(() => expect(text(container)).toBe('presence-room@hydrate subscribed 1 ada'), {
      timeout: 10_000,
    })
    expect(errors).toEqual([])
    act(() => root.unmount())
    container.remove()
    held.release()
  })
})
