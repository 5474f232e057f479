// Type tests, run by vitest's typecheck mode (`react:unit`): what the hooks infer without a
// channel map, and what the provider accepts. The registered-map case is
// `channel-map.test-d.tsx`, compiled on its own (its `Register` augmentation is global).
import { describe, expectTypeOf, test } from 'vitest'
import {
  type ChannelState,
  type ConnectionState,
  createPresenceClient,
  type Member,
  type MemberSnapshot,
  type PresenceClient,
  PresenceClientError,
  type PresenceClientOptions,
  PresenceProvider,
  shallow,
  useActiveChannel,
  useActiveList,
  useChannel,
  useConnectionState,
  useEvent,
  useIsOnline,
  useMemberList,
  useMembers,
  usePresence,
  usePresenceClient,
} from './index.js'

declare const client: PresenceClient
declare const options: PresenceClientOptions
type User = { name: string }

describe('hooks without a channel map', () => {
  test('useMembers infers the selection, and the info from the selector annotation', () => {
    expectTypeOf(useMembers('presence-x', (s) => s.count)).toEqualTypeOf<number>()
    expectTypeOf(useMembers('presence-x', (s) => s.members.get('ada'))).toEqualTypeOf<
      Member<unknown> | undefined
    >()
    expectTypeOf(
      useMembers(
        'presence-x',
        (s: MemberSnapshot<User>) => [...s.members.values()].map((m) => m.info.name),
        shallow,
      ),
    ).toEqualTypeOf<string[]>()
    const isSameName = (a: string, b: string) => a === b
    // @ts-expect-error isEqual compares selections: a number selection with a string comparer
    useMembers('presence-x', (s) => s.count, isSameName)
  })

  test('usePresence and useMemberList take the info as a type argument', () => {
    expectTypeOf(usePresence('presence-x')).toEqualTypeOf<MemberSnapshot<unknown>>()
    expectTypeOf(usePresence<User>('presence-x')).toEqualTypeOf<MemberSnapshot<User>>()
    expectTypeOf(usePresence<User>('presence-x').me?.info.name).toEqualTypeOf<string | undefined>()
    expectTypeOf(useMemberList<User>('presence-x')).toEqualTypeOf<readonly Member<User>[]>()
  })

  test('channel hooks', () => {
    expectTypeOf(useChannel('private-x', { enabled: false })).toEqualTypeOf<ChannelState>()
    expectTypeOf(useActiveChannel('presence-messenger')).toEqualTypeOf<ChannelState>()
    // @ts-expect-error the channel is required: there is no app-specific default
    useActiveChannel()
    expectTypeOf(useActiveList('presence-messenger')).toEqualTypeOf<string[]>()
    expectTypeOf(useIsOnline('ada')).toEqualTypeOf<boolean>()
    expectTypeOf(useIsOnline(null)).toEqualTypeOf<boolean>()
    expectTypeOf(useIsOnline(undefined)).toEqualTypeOf<boolean>()
    expectTypeOf(useConnectionState()).toEqualTypeOf<ConnectionState>()
    expectTypeOf(usePresenceClient()).toEqualTypeOf<PresenceClient | null>()
  })

  test('events: any name, the payload as a type argument', () => {
    useEvent<{ n: number }>('private-x', 'update', (data) => {
      expectTypeOf(data).toEqualTypeOf<{ n: number }>()
    })
    useEvent('private-x', 'update', (data) => {
      expectTypeOf(data).toEqualTypeOf<unknown>()
    })
    useChannel('private-x', {
      events: {
        update: (data) => expectTypeOf(data).toEqualTypeOf<unknown>(),
      },
    })
  })

  test('the client is re-exported', () => {
    expectTypeOf(createPresenceClient(options)).toEqualTypeOf<PresenceClient>()
    expectTypeOf(new PresenceClientError('X', 'x').code).toExtend<string>()
  })
})

export function Providers() {
  return (
    <>
      <PresenceProvider client={client} />
      <PresenceProvider client={null} />
      <PresenceProvider
        options={{ pusher: { key: 'k', cluster: 'eu' }, auth: { endpoint: '/auth' } }}
      />
      <PresenceProvider client={client} user={{ id: 'ada' }} />
      <PresenceProvider client={client} user={null} />
      {/* @ts-expect-error a user has an id */}
      <PresenceProvider client={client} user={{ name: 'ada' }} />
      {/* @ts-expect-error a client or options, not both */}
      <PresenceProvider
        client={client}
        options={{ pusher: { key: 'k', cluster: 'eu' }, auth: { endpoint: '/a' } }}
      />
      {/* @ts-expect-error one of them is required */}
      <PresenceProvider />
    </>
  )
}
