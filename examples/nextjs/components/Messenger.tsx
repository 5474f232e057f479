'use client'
import type { PresenceClientOptions } from '@presence/client'
import { PresenceProvider, usePresenceClient } from '@presence/react'
import { useEffect, useState } from 'react'
import type { PusherPublicConfig } from '@/lib/env'
import type { DirectoryUser } from '@/lib/users'
import { Workspace } from './Workspace'

/** Props of {@link Messenger}. */
export interface MessengerProps {
  /** The signed-in user, from the server's session; `null` when signed out. */
  me: DirectoryUser | null
  users: DirectoryUser[]
  /** Where the browser's websocket goes, read from the environment at request time. */
  pusher: PusherPublicConfig
}

function clientOptions(
  config: PusherPublicConfig,
  me: DirectoryUser | null,
): PresenceClientOptions {
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
    auth: { endpoint: '/api/pusher/auth', batchEndpoint: '/api/pusher/batch' },
    // Presence channels wait for a user: nothing joins while signed out.
    user: me ? { id: me.id } : null,
  }
}

/** Keeps the client's user in step with the server's session (sign-in, sign-out). */
function SessionUser({ me }: { me: DirectoryUser | null }) {
  const client = usePresenceClient()
  const meId = me?.id ?? null
  useEffect(() => {
    client?.setUser(meId ? { id: meId } : null)
  }, [client, meId])
  return null
}

/** The messenger with live presence, inside a {@link PresenceProvider}. */
export function Messenger({ me, users, pusher }: MessengerProps) {
  // read once by the provider: the client lives as long as the page
  const [options] = useState(() => clientOptions(pusher, me))
  return (
    <PresenceProvider options={options}>
      <SessionUser me={me} />
      <Workspace me={me} users={users} />
    </PresenceProvider>
  )
}
