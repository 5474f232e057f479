'use client'
import { type PresenceClientOptions, PresenceProvider } from '@presence/react'
import { useState } from 'react'
import type { PusherPublicConfig } from '@/lib/env'
import type { DirectoryUser } from '@/lib/users'
import { Workspace } from './Workspace'

/** Props of {@link Messenger}. */
export interface MessengerProps {
  /** The signed-in user, from the server's session; `null` when signed out. */
  me: DirectoryUser | null
  /** The directory; the server sends it only to signed-in pages. */
  users: DirectoryUser[]
  /** Demo mode (`PRESENCE_DEMO=1`): demo accounts and the refusal demo are shown. */
  demo: boolean
  /** Where the browser's websocket goes, read from the environment at request time. */
  pusher: PusherPublicConfig
}

function clientOptions(config: PusherPublicConfig): PresenceClientOptions {
  return {
    pusher: {
      key: config.key,
      cluster: config.cluster,
      forceTLS: config.forceTLS,
      ...(config.host === undefined ? {} : { wsHost: config.host }),
      ...(config.port === undefined ? {} : { wsPort: config.port, wssPort: config.port }),
      enabledTransports: ['ws', 'wss'],
      disableStats: true,
    },
    auth: { endpoint: '/api/pusher' },
    // How long a member who dropped stays listed. After a 1.5 s outage a page is back after
    // pusher-js's 1 s retry and the client's jittered backoff (up to ~3.5 s), then authorizes
    // again: 5 s (Liveblocks' default for the same job) keeps a badge on through such a blip,
    // where the 3 s default could let it flicker. A real leave shows 5 s later.
    leaveGraceMs: 5_000,
  }
}

/** The messenger with live presence, inside a {@link PresenceProvider}. */
export function Messenger({ me, users, pusher, demo }: MessengerProps) {
  // read once by the provider: the client lives as long as the page
  const [options] = useState(() => clientOptions(pusher))
  // The provider's `user` is the one switch: presence channels join while it is a user and are
  // left on sign-out (`null`), with no effect and no `enabled` flag.
  return (
    <PresenceProvider options={options} user={me ? { id: me.id } : null}>
      <Workspace me={me} users={users} demo={demo} />
    </PresenceProvider>
  )
}
