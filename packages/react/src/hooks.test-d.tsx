// Type tests (checked by `tsc`, never run): what the hooks infer and what the provider accepts.
import type { ConnectionState, Member, MemberSnapshot, PresenceClient } from '@presence/client'
import { expectTypeOf } from 'vitest'
import {
  type ChannelState,
  PresenceProvider,
  shallow,
  useActiveChannel,
  useActiveList,
  useChannel,
  useConnectionState,
  useEvent,
  useIsOnline,
  useMembers,
  usePresence,
  usePresenceClient,
} from './index.js'

declare const client: PresenceClient
type User = { name: string }

export function Inference() {
  expectTypeOf(useMembers('presence-x', (s) => s.count)).toEqualTypeOf<number>()
  expectTypeOf(useMembers('presence-x', (s) => s.members.get('ada'))).toEqualTypeOf<
    Member<unknown> | undefined
  >()
  expectTypeOf(
    useMembers<User, string[]>(
      'presence-x',
      (s) => [...s.members.values()].map((m) => m.info.name),
      shallow,
    ),
  ).toEqualTypeOf<string[]>()
  expectTypeOf(usePresence<User>('presence-x')).toEqualTypeOf<MemberSnapshot<User>>()
  expectTypeOf(usePresence<User>('presence-x').me?.info.name).toEqualTypeOf<string | undefined>()
  expectTypeOf(useChannel('private-x', { enabled: false })).toEqualTypeOf<ChannelState>()
  expectTypeOf(useActiveChannel()).toEqualTypeOf<ChannelState>()
  expectTypeOf(useActiveList()).toEqualTypeOf<string[]>()
  expectTypeOf(useIsOnline('ada')).toEqualTypeOf<boolean>()
  expectTypeOf(useConnectionState()).toEqualTypeOf<ConnectionState>()
  expectTypeOf(usePresenceClient()).toEqualTypeOf<PresenceClient | null>()
  useEvent<{ n: number }>('private-x', 'update', (data) => {
    expectTypeOf(data).toEqualTypeOf<{ n: number }>()
  })
  const isSameName = (a: string, b: string) => a === b
  // @ts-expect-error isEqual compares selections: a number selection with a string comparer
  useMembers('presence-x', (s) => s.count, isSameName)
  return null
}

export function Providers() {
  return (
    <>
      <PresenceProvider client={client} />
      <PresenceProvider client={null} />
      <PresenceProvider
        options={{ pusher: { key: 'k', cluster: 'eu' }, auth: { endpoint: '/auth' } }}
      />
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
