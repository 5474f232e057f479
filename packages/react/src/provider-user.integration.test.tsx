// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}

import { soketiChannelUsers } from '@presence/testing'
import { cleanup, render, waitFor } from '@testing-library/react'
import Pusher from 'pusher'
import { StrictMode } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type EventHandler,
  PresenceProvider,
  type PresenceUser,
  useChannel,
  useMemberList,
  usePresence,
} from './index.js'
import { type Stack, startStack } from './test/stack.js'

// The provider's `user` as the one source of "signed in", `useChannel(name, { events })` and
// `useMemberList`, with the real client, soketi and @presence/server.

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

const text = (root: HTMLElement) => root.textContent ?? ''

function Room({ name }: { name: string }) {
  const { status, count } = usePresence(name)
  return (
    <p data-testid="room">
      {status} {count}
    </p>
  )
}

describe('the provider `user` drives presence channels', () => {
  it('joins while it is a user and leaves when it is null, with no enabled flag', async () => {
    const ada = stack.connect('ada', { graceMs: GRACE_MS })
    const name = 'presence-room@user-prop'
    const tree = (user: PresenceUser | null) => (
      <StrictMode>
        <PresenceProvider client={ada.client} user={user}>
          <Room name={name} />
        </PresenceProvider>
      </StrictMode>
    )
    // Signed out at mount: the hook below never joins, not even for a moment.
    const view = render(tree(null))
    await new Promise((r) => setTimeout(r, GRACE_MS * 6))
    expect(text(view.getByTestId('room'))).toBe('idle 0')
    expect(ada.subscribes(name)).toBe(0)
    expect(ada.requests.filter((r) => r.channels.includes(name))).toEqual([])

    view.rerender(tree({ id: 'ada' }))
    await waitFor(() => expect(text(view.getByTestId('room'))).toBe('subscribed 1'), {
      timeout: 10_000,
    })
    expect(await soketiChannelUsers(stack.soketi, name)).toEqual(['ada'])

    // A new object with the same id changes nothing.
    view.rerender(tree({ id: 'ada' }))
    view.rerender(tree(null))
    await waitFor(() => expect(text(view.getByTestId('room'))).toBe('idle 0'))
    await waitFor(async () => expect(await soketiChannelUsers(stack.soketi, name)).toEqual([]), {
      timeout: 5_000,
    })
    expect(ada.subscribes(name)).toBe(1)
  })

  it('omitted, leaves the client user alone', async () => {
    const bob = stack.connect('bob', { graceMs: GRACE_MS })
    const name = 'presence-room@no-user-prop'
    const view = render(
      <PresenceProvider client={bob.client}>
        <Room name={name} />
      </PresenceProvider>,
    )
    await waitFor(() => expect(text(view.getByTestId('room'))).toBe('subscribed 1'), {
      timeout: 10_000,
    })
    expect(bob.client.user.getSnapshot()).toEqual({ id: 'bob' })
  })
})

function Feed({ name, handler }: { name: string; handler: EventHandler }) {
  const { status } = useChannel(name, { events: { update: handler } })
  return <p data-testid="feed">{status}</p>
}

describe('useChannel with events', () => {
  it('joins and calls the latest handler without rebinding', async () => {
    const cy = stack.connect('cy', { graceMs: GRACE_MS })
    const name = 'private-feed@events'
    let binds = 0
    const on = cy.client.on.bind(cy.client) as (...args: unknown[]) => () => void
    cy.client.on = ((...args: unknown[]) => {
      binds++
      return on(...args)
    }) as typeof cy.client.on
    const log: string[] = []
    const view = render(
      <PresenceProvider client={cy.client}>
        <Feed name={name} handler={(d) => log.push(`first:${JSON.stringify(d)}`)} />
      </PresenceProvider>,
    )
    await waitFor(() => expect(text(view.getByTestId('feed'))).toBe('subscribed'), {
      timeout: 10_000,
    })
    await trigger.trigger(name, 'update', { n: 1 })
    await waitFor(() => expect(log).toEqual(['first:{"n":1}']))
    view.rerender(
      <PresenceProvider client={cy.client}>
        <Feed name={name} handler={(d) => log.push(`second:${JSON.stringify(d)}`)} />
      </PresenceProvider>,
    )
    await trigger.trigger(name, 'update', { n: 2 })
    await waitFor(() => expect(log).toEqual(['first:{"n":1}', 'second:{"n":2}']))
    expect(binds).toBe(1)
    view.unmount()
    await trigger.trigger(name, 'update', { n: 3 })
    await new Promise((r) => setTimeout(r, 300))
    expect(log).toHaveLength(2)
  })
})

function List({ name, renders }: { name: string; renders: unknown[][] }) {
  usePresence(name)
  const members = useMemberList<{ name: string }>(name)
  renders.push(members as unknown[])
  return <p data-testid="list">{members.map((m) => `${m.id}=${m.info.name}`).join(',')}</p>
}

describe('useMemberList', () => {
  it('renders the members as an array, the same array until the members change', async () => {
    const dee = stack.connect('dee', { graceMs: GRACE_MS })
    const eve = stack.connect('eve', { graceMs: GRACE_MS })
    const name = 'presence-room@list'
    const renders: unknown[][] = []
    const view = render(
      <PresenceProvider client={dee.client}>
        <List name={name} renders={renders} />
      </PresenceProvider>,
    )
    await waitFor(() => expect(text(view.getByTestId('list'))).toBe('dee=dee'), {
      timeout: 10_000,
    })
    const handle = eve.client.subscribe(name)
    await waitFor(() => expect(text(view.getByTestId('list'))).toBe('dee=dee,eve=eve'), {
      timeout: 10_000,
    })
    // Every distinct array rendered is a distinct member list: no rebuild without a change.
    const distinct = [...new Set(renders)].map((list) => list.length)
    expect(distinct).toEqual([0, 1, 2])
    handle.release()
  })
})
