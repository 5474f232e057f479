// Type tests of an app that declares its channel map once (run by vitest's typecheck mode in
// the `react:types` project, with `tsconfig.channel-map.json`: the `Register` augmentation
// below is global, so this file is compiled apart from the package's other tests).
import { describe, expectTypeOf, test } from 'vitest'
import {
  type Member,
  type MemberSnapshot,
  type PresenceClient,
  useActiveList,
  useChannel,
  useEvent,
  useMemberList,
  useMembers,
  usePresence,
  usePresenceClient,
} from './index.js'

type Doc = { rev: number; title: string }
type AppChannels = {
  'presence-room@{roomId}': {
    member: { name: string; avatar: string }
    events: { message: { text: string }; 'client-typing': { userId: string } }
  }
  'presence-messenger': { member: { name: string } }
  'private-doc@{docId}': { events: { updated: Doc; deleted: null } }
}

// Declared once, through the package the app installs.
declare module './index.js' {
  interface Register {
    channels: AppChannels
  }
}

declare const roomId: string

describe('hooks with a registered channel map', () => {
  test('usePresence knows the member info of a pattern with params', () => {
    const room = usePresence('presence-room@42')
    expectTypeOf(room).toEqualTypeOf<MemberSnapshot<{ name: string; avatar: string }>>()
    expectTypeOf(room.me?.info.avatar).toEqualTypeOf<string | undefined>()
    expectTypeOf(usePresence(`presence-room@${roomId}`).members.get('x')?.info.name).toEqualTypeOf<
      string | undefined
    >()
    expectTypeOf(usePresence('presence-messenger').me?.info).toEqualTypeOf<
      { name: string } | undefined
    >()
  })

  test('useMembers and useMemberList infer from the map', () => {
    expectTypeOf(
      useMembers('presence-room@42', (s) => [...s.members.values()].map((m) => m.info.name)),
    ).toEqualTypeOf<string[]>()
    expectTypeOf(useMemberList('presence-room@42')).toEqualTypeOf<
      readonly Member<{ name: string; avatar: string }>[]
    >()
    expectTypeOf(useActiveList('presence-messenger')).toEqualTypeOf<string[]>()
  })

  test('useEvent knows the payload; a wrong event name or payload is an error', () => {
    useEvent('private-doc@42', 'updated', (data) => {
      expectTypeOf(data).toEqualTypeOf<Doc>()
    })
    useEvent('presence-room@7', 'client-typing', (data) => {
      expectTypeOf(data).toEqualTypeOf<{ userId: string }>()
    })
    // pusher-js's own events stay available
    useEvent('private-doc@42', 'pusher:subscription_succeeded', (data) => {
      expectTypeOf(data).toEqualTypeOf<unknown>()
    })
    // @ts-expect-error `private-doc@…` has no event `message`
    useEvent('private-doc@42', 'message', () => {})
    // @ts-expect-error the payload of `updated` is a Doc: `text` does not exist on it
    useEvent('private-doc@42', 'updated', (data: { text: string }) => data.text)
    // @ts-expect-error no channel of the map is called `private-chat@…`
    useEvent('private-chat@1', 'updated', () => {})
  })

  test('useChannel binds typed events', () => {
    useChannel('private-doc@42', {
      events: {
        updated: (data) => expectTypeOf(data).toEqualTypeOf<Doc>(),
        deleted: (data) => expectTypeOf(data).toEqualTypeOf<null>(),
      },
    })
    useChannel('private-doc@42', {
      // @ts-expect-error `private-doc@…` has no event `renamed`
      events: { renamed: () => {} },
    })
    // @ts-expect-error a channel name outside the map
    useChannel('private-unknown')
  })

  test('the client is typed by the same map', () => {
    const client = usePresenceClient()
    expectTypeOf(client).toEqualTypeOf<PresenceClient<AppChannels> | null>()
    client?.on('private-doc@1', 'updated', (data) => expectTypeOf(data.rev).toEqualTypeOf<number>())
    // @ts-expect-error no event `message` on `private-doc@…`
    client?.on('private-doc@1', 'message', () => {})
  })
})
