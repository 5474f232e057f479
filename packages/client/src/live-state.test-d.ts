// Type tests (`client:unit`, typecheck mode): live member state and whisper typed by the
// channel map.
import { describe, expectTypeOf, test } from 'vitest'
import {
  type AnyState,
  createPresenceClient,
  type Member,
  type PresenceClientOptions,
  type WhisperName,
} from './index.js'

type AppChannels = {
  'presence-room@{roomId}': {
    member: { name: string }
    state: { typing: boolean; page?: number }
    events: { 'client-wave': { to: string }; message: { text: string } }
  }
  'private-doc@{docId}': { events: { 'client-cursor': { x: number; y: number } } }
}

declare const options: PresenceClientOptions

describe('live state and whisper', () => {
  test('whisper names are the client- events without their prefix', () => {
    expectTypeOf<WhisperName<AppChannels, 'presence-room@7'>>().toEqualTypeOf<'wave'>()
    expectTypeOf<WhisperName<AppChannels, 'private-doc@1'>>().toEqualTypeOf<'cursor'>()
  })

  test('whisper is typed by the channel map', () => {
    const client = createPresenceClient<AppChannels>(options)
    client.whisper('presence-room@7', 'wave', { to: 'ada' })
    client.whisper('private-doc@1', 'cursor', { x: 1, y: 2 })
    // @ts-expect-error: the payload of client-wave is { to: string }
    client.whisper('presence-room@7', 'wave', { to: 42 })
    // @ts-expect-error: `message` is not a client event
    client.whisper('presence-room@7', 'message', { text: 'hi' })
    // @ts-expect-error: the channel declares no client-cursor
    client.whisper('presence-room@7', 'cursor', { x: 1, y: 2 })
  })

  test('members carry the declared state; updateMyState takes a partial of it', () => {
    const client = createPresenceClient<AppChannels>(options)
    const me = client.members('presence-room@7').getSnapshot().me
    expectTypeOf(me).toEqualTypeOf<Member<
      { name: string },
      { typing: boolean; page?: number }
    > | null>()
    client.updateMyState('presence-room@7', { typing: true })
    client.updateMyState('presence-room@7', { page: 2 })
    // @ts-expect-error: typing is a boolean
    client.updateMyState('presence-room@7', { typing: 'yes' })
  })

  test('without a map: any state object, any whisper', () => {
    const client = createPresenceClient(options)
    expectTypeOf(client.members('presence-x').getSnapshot().me?.state).toEqualTypeOf<
      AnyState | undefined
    >()
    client.updateMyState('presence-x', { anything: 1 })
    client.whisper('private-y', 'anything', { any: 'data' })
  })
})
