/**
 * Live member state and whisper against real soketi with client events allowed: state updates
 * coalesced and paced on the wire, merged, seen by late joiners, attributed only by the
 * `user_id` soketi adds (a replayed payload cannot speak for someone else), validated by
 * `schemas[pattern].state`; a server that refuses client events is reported once.
 */
import { type SoketiServer, sleep, startSoketi, waitFor } from '@presence/testing'
import * as v from 'valibot'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type AuthServer, connectClient, startAuthServer } from '../test/harness.js'
import type { InvalidEventError } from './errors.js'
import { STATE_EVENT } from './live-state.js'
import type { PresenceClientOptions } from './options.js'
import type { PresenceClient } from './types.js'

let soketi: SoketiServer
let auth: AuthServer
const clients: PresenceClient[] = []

beforeAll(async () => {
  soketi = await startSoketi({ clientMessages: true })
  auth = await startAuthServer(soketi)
})
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy()
})
afterAll(async () => {
  await auth?.close()
  await soketi?.stop()
})

const join = async (
  user: string,
  channel: string,
  extra: Partial<PresenceClientOptions> = {},
  server: { soketi: SoketiServer; auth: AuthServer } = { soketi, auth },
) => {
  const client = connectClient(server.soketi, server.auth, user, extra)
  clients.push(client)
  client.subscribe(channel)
  await waitFor(() => client.members(channel).getSnapshot().status === 'subscribed', {
    what: `${user} subscribed to ${channel}`,
    timeoutMs: 10_000,
  })
  return client
}
const stateOf = (client: PresenceClient, channel: string, id: string) =>
  client.members(channel).getSnapshot().members.get(id)?.state
const sees = (client: PresenceClient, channel: string, ids: string[]) =>
  waitFor(() => ids.every((id) => client.members(channel).getSnapshot().members.has(id)), {
    what: `${ids.join(', ')} seen`,
    timeoutMs: 10_000,
  })

describe('live member state (soketi, client events allowed)', () => {
  it('100 updates in one second: at most 11 events on the wire, patches merged, the last state wins', async () => {
    const ch = 'presence-live-burst'
    const ada = await join('ada', ch)
    const bo = await join('bo', ch)
    await sees(ada, ch, ['bo'])
    let onTheWire = 0
    bo.on(ch, STATE_EVENT, () => onTheWire++)
    const started = Date.now()
    for (let i = 0; i < 100; i++) {
      // On a schedule, one every 10 ms: the 100 calls span one second.
      const wait = started + i * 10 - Date.now()
      if (wait > 0) await sleep(wait)
      ada.updateMyState(ch, { count: i, [`key${i % 3}`]: i })
    }
    const span = Date.now() - started
    // This user's own view is immediate.
    expect(stateOf(ada, ch, 'ada')).toEqual({ count: 99, key0: 99, key1: 97, key2: 98 })
    await waitFor(() => stateOf(bo, ch, 'ada')?.count === 99, {
      what: 'last state',
      timeoutMs: 5_000,
    })
    await sleep(300)
    expect(stateOf(bo, ch, 'ada')).toEqual({ count: 99, key0: 99, key1: 97, key2: 98 })
    // Paced to 10 per second: one at once, then one per 100 ms while updates keep coming
    // (11 for calls spanning one second; more only if this machine stretched the span).
    expect(onTheWire).toBeLessThanOrEqual(Math.ceil(span / 100) + 1)
    if (span <= 1000) expect(onTheWire).toBeLessThanOrEqual(11)
    console.info(`100 updates over ${span} ms: ${onTheWire} client events on the wire`)
  })

  it('a late joiner sees every member state within 1 s of joining', async () => {
    const ch = 'presence-live-late'
    const ada = await join('ada', ch)
    const bo = await join('bo', ch)
    ada.updateMyState(ch, { page: 3 })
    bo.updateMyState(ch, { busy: true })
    await waitFor(() => stateOf(ada, ch, 'bo')?.busy === true, { what: 'bo state at ada' })
    const cy = connectClient(soketi, auth, 'cy')
    clients.push(cy)
    cy.subscribe(ch)
    await waitFor(() => cy.members(ch).getSnapshot().status === 'subscribed', { what: 'cy joined' })
    const joinedAt = Date.now()
    await waitFor(
      () => stateOf(cy, ch, 'ada')?.page === 3 && stateOf(cy, ch, 'bo')?.busy === true,
      {
        what: 'states at the late joiner',
        timeoutMs: 1_000,
      },
    )
    console.info(`late joiner had every state ${Date.now() - joinedAt} ms after subscribing`)
  })

  it('a replayed state event speaks for its sender, never for the member it names', async () => {
    const ch = 'presence-live-replay'
    const ada = await join('ada', ch)
    const bo = await join('bo', ch)
    ada.updateMyState(ch, { role: 'host' })
    await waitFor(() => stateOf(bo, ch, 'ada')?.role === 'host', { what: 'ada state at bo' })
    // A third connection replays Ada's state event, claiming to be her in every way it can.
    const mallory = await join('mallory', ch)
    await sees(bo, ch, ['mallory'])
    const raw = mallory.pusher.channel(ch)
    raw.trigger(STATE_EVENT, { state: { role: 'guest' }, user_id: 'ada', id: 'ada' })
    await waitFor(() => stateOf(bo, ch, 'mallory')?.role === 'guest', {
      what: "soketi's user_id attributes it to mallory",
    })
    expect(stateOf(bo, ch, 'ada')).toEqual({ role: 'host' })
  })

  it('a state failing schemas[pattern].state is ignored and reported through onInvalidEvent', async () => {
    const ch = 'presence-live-schema'
    const invalid: InvalidEventError[] = []
    const ada = await join('ada', ch)
    const bo = await join('bo', ch, {
      schemas: { 'presence-live-{room}': { state: v.object({ typing: v.boolean() }) } },
      onInvalidEvent: (error) => invalid.push(error),
    })
    await sees(ada, ch, ['bo'])
    ada.updateMyState(ch, { typing: 'yes' as unknown as boolean })
    await waitFor(() => invalid.length === 1, { what: 'the invalid state reported' })
    expect(invalid[0]).toMatchObject({ code: 'INVALID_EVENT', event: 'state', channel: ch })
    expect(stateOf(bo, ch, 'ada')).toEqual({})
    ada.updateMyState(ch, { typing: true })
    await waitFor(() => stateOf(bo, ch, 'ada')?.typing === true, { what: 'a valid state' })
  })

  it('whisper: client-<event> round trip, paced with the state', async () => {
    const ch = 'presence-live-whisper'
    const ada = await join('ada', ch)
    const bo = await join('bo', ch)
    await sees(ada, ch, ['bo'])
    const heard: unknown[] = []
    bo.on(ch, 'client-wave', (data) => heard.push(data))
    ada.whisper(ch, 'wave', { to: 'bo' })
    ada.whisper(ch, 'wave', { to: 'bo', again: true })
    await waitFor(() => heard.length === 2, { what: 'two whispers' })
    expect(heard).toEqual([{ to: 'bo' }, { to: 'bo', again: true }])
    // On a private channel too.
    const priv = 'private-live-whisper'
    ada.subscribe(priv)
    bo.subscribe(priv)
    const privHeard: unknown[] = []
    bo.on(priv, 'client-ping', (data) => privHeard.push(data))
    await waitFor(
      () =>
        ada.members(priv).getSnapshot().status === 'subscribed' &&
        bo.members(priv).getSnapshot().status === 'subscribed',
      { what: 'private channel subscribed' },
    )
    ada.whisper(priv, 'ping', 1)
    await waitFor(() => privHeard.length === 1, { what: 'private whisper' })
  })
})

describe('client events refused by the server', () => {
  let closed: SoketiServer
  let closedAuth: AuthServer
  beforeAll(async () => {
    closed = await startSoketi({ clientMessages: false })
    closedAuth = await startAuthServer(closed)
  })
  afterAll(async () => {
    await closedAuth?.close()
    await closed?.stop()
  })

  it('surfaces CLIENT_EVENTS_DISABLED once on the channel and stops sending', async () => {
    const ch = 'presence-live-closed'
    const server = { soketi: closed, auth: closedAuth }
    const ada = await join('ada', ch, {}, server)
    const bo = await join('bo', ch, {}, server)
    await sees(ada, ch, ['bo'])
    let refusals = 0
    ada.pusher.connection.bind('error', (e: { data?: { code?: number } }) => {
      if (e?.data?.code === 4301) refusals++
    })
    const errors: unknown[] = []
    ada.members(ch).subscribe(() => {
      const { error } = ada.members(ch).getSnapshot()
      if (error && errors.at(-1) !== error) errors.push(error)
    })
    ada.updateMyState(ch, { typing: true })
    await waitFor(() => ada.members(ch).getSnapshot().error !== null, { what: 'the refusal' })
    expect(ada.members(ch).getSnapshot()).toMatchObject({
      status: 'subscribed',
      count: 2,
      error: { code: 'CLIENT_EVENTS_DISABLED', status: 4301 },
    })
    // More updates, a whisper and a newcomer (who would be answered): nothing more is sent.
    for (let i = 0; i < 5; i++) ada.updateMyState(ch, { typing: i % 2 === 0 })
    ada.whisper(ch, 'wave', {})
    await join('cy', ch, {}, server)
    await sleep(1000)
    expect(refusals).toBe(1)
    expect(errors).toHaveLength(1)
    // This user's own view still follows its updates.
    expect(stateOf(ada, ch, 'ada')).toEqual({ typing: true })
    expect(stateOf(bo, ch, 'ada')).toEqual({})
  })
})
