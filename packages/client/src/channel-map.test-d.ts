// Type tests, run by vitest's typecheck mode (`client:unit`): the channel map given to the
// client as a type parameter, pattern matching of `{param}` segments, and schemas as the map.
import * as v from 'valibot'
import { describe, expectTypeOf, test } from 'vitest'
import {
  type ChannelName,
  type ChannelPattern,
  createPresenceClient,
  type EventSchemas,
  type MemberSnapshot,
  type PatternName,
  type PresenceClient,
  type PresenceClientOptions,
  type SchemaChannels,
  type Store,
} from './index.js'

type AppChannels = {
  'presence-room@{roomId}': { member: { name: string }; events: { message: { text: string } } }
  'presence-room@lobby': { member: { guest: true } }
  'private-session-{sessionId}': { events: { update: { step: number } } }
  'private-doc@{docId}-{rev}': { events: { updated: { rev: number } } }
}

declare const options: PresenceClientOptions

describe('channel map', () => {
  test('patterns become template literal names', () => {
    expectTypeOf<PatternName<'presence-room@{roomId}'>>().toEqualTypeOf<`presence-room@${string}`>()
    expectTypeOf<
      PatternName<'private-doc@{docId}-{rev}'>
    >().toEqualTypeOf<`private-doc@${string}-${string}`>()
    expectTypeOf<ChannelName<AppChannels>>().toEqualTypeOf<
      | `presence-room@${string}`
      | 'presence-room@lobby'
      | `private-session-${string}`
      | `private-doc@${string}-${string}`
    >()
  })

  test('a literal pattern wins over one with params', () => {
    expectTypeOf<
      ChannelPattern<AppChannels, 'presence-room@lobby'>
    >().toEqualTypeOf<'presence-room@lobby'>()
    expectTypeOf<
      ChannelPattern<AppChannels, 'presence-room@7'>
    >().toEqualTypeOf<'presence-room@{roomId}'>()
  })

  test('the client given the map as a type parameter', () => {
    const client = createPresenceClient<AppChannels>(options)
    expectTypeOf(client).toEqualTypeOf<PresenceClient<AppChannels>>()
    expectTypeOf(client.members('presence-room@7')).toEqualTypeOf<
      Store<MemberSnapshot<{ name: string }>>
    >()
    expectTypeOf(client.members('presence-room@lobby')).toEqualTypeOf<
      Store<MemberSnapshot<{ guest: true }>>
    >()
    client.on('private-session-8f2c', 'update', (data) => {
      expectTypeOf(data).toEqualTypeOf<{ step: number }>()
    })
    client.on('private-doc@4-2', 'updated', (data) => {
      expectTypeOf(data).toEqualTypeOf<{ rev: number }>()
    })
    // @ts-expect-error `private-session-…` has no event `updated`
    client.on('private-session-8f2c', 'updated', () => {})
    // @ts-expect-error the payload of `update` has no `text`
    client.on('private-session-8f2c', 'update', (data: { text: string }) => data)
    // @ts-expect-error not a channel of the map
    client.subscribe('private-chat@1')
  })

  test('without a map, any name and unknown payloads', () => {
    const client = createPresenceClient(options)
    expectTypeOf(client.members('presence-x')).toEqualTypeOf<Store<MemberSnapshot<unknown>>>()
    client.on('private-x', 'anything', (data) => expectTypeOf(data).toEqualTypeOf<unknown>())
  })

  test('schemas describe the map', () => {
    const schemas = {
      'private-doc@{docId}': { updated: v.object({ rev: v.number() }) },
    } satisfies EventSchemas
    type FromSchemas = SchemaChannels<typeof schemas>
    const client = createPresenceClient<FromSchemas>({ ...options, schemas })
    client.on('private-doc@1', 'updated', (data) => {
      expectTypeOf(data).toEqualTypeOf<{ rev: number }>()
    })
  })
})
