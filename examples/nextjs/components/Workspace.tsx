'use client'
import { useActiveChannel, useActiveList, useMembers } from '@presence/react'
import { useMemo, useState } from 'react'
import type { DirectoryUser } from '@/lib/users'
import { ConversationList } from './ConversationList'
import { ConversationPane } from './ConversationPane'
import { DeveloperPanel } from './DeveloperPanel'
import { ForgedSubscription } from './ForgedSubscription'
import { SignInForm } from './SignInForm'

const CHANNEL = 'presence-messenger'
const count = (snapshot: { count: number }) => snapshot.count

/** Props of {@link Workspace}. */
export interface WorkspaceProps {
  me: DirectoryUser | null
  /** The directory: empty while signed out (the server sends it only to signed-in pages). */
  users: DirectoryUser[]
  /** Demo mode: the demo accounts and the "subscribe anyway" refusal demo are shown. */
  demo: boolean
}

/**
 * The messenger's screen: conversations on the left, the open one (or the
 * sign-in form) on the right, developer details folded underneath. Holds
 * `presence-messenger` (`useActiveChannel`), which the provider's `user` joins only while
 * signed in, and reads its
 * members with `useActiveList`, which drives every "Active" badge.
 */
export function Workspace({ me, users, demo }: WorkspaceProps) {
  const { status, error } = useActiveChannel(CHANNEL)
  const ids = useActiveList(CHANNEL)
  const members = useMembers(CHANNEL, count)
  const activeIds = useMemo(() => new Set(ids), [ids])
  const others = users.filter((user) => user.id !== me?.id)
  const [selectedId, setSelectedId] = useState<string | null>(null)
  // the first conversation until one is picked: the directory arrives with the session
  const selected = users.find((user) => user.id === selectedId) ?? others[0] ?? null

  return (
    <div className="workspace">
      <ConversationList
        users={users}
        meId={me?.id ?? null}
        activeIds={activeIds}
        selectedId={me ? (selected?.id ?? null) : null}
        onSelect={setSelectedId}
      />
      {me ? (
        <ConversationPane
          person={selected}
          active={selected ? activeIds.has(selected.id) : false}
        />
      ) : (
        <section className="pane sign-in-pane">
          <SignInForm demo={demo} />
        </section>
      )}
      <DeveloperPanel channel={CHANNEL} status={status} error={error} members={members}>
        {me || !demo ? null : <ForgedSubscription channel={CHANNEL} />}
      </DeveloperPanel>
    </div>
  )
}
