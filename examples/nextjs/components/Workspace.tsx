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
  users: DirectoryUser[]
}

/**
 * The messenger's screen: conversations on the left, the open one (or the
 * sign-in form) on the right, developer details folded underneath. Holds
 * `presence-messenger` (`useActiveChannel`), which the provider's `user` joins only while
 * signed in, and reads its
 * members with `useActiveList`, which drives every "Active" badge.
 */
export function Workspace({ me, users }: WorkspaceProps) {
  const { status, error } = useActiveChannel(CHANNEL)
  const ids = useActiveList(CHANNEL)
  const members = useMembers(CHANNEL, count)
  const activeIds = useMemo(() => new Set(ids), [ids])
  const others = users.filter((user) => user.id !== me?.id)
  const [selectedId, setSelectedId] = useState<string | null>(others[0]?.id ?? null)
  const selected = users.find((user) => user.id === selectedId) ?? null

  return (
    <div className="workspace">
      <ConversationList
        users={users}
        meId={me?.id ?? null}
        activeIds={activeIds}
        selectedId={me ? selectedId : null}
        onSelect={setSelectedId}
      />
      {me ? (
        <ConversationPane
          person={selected}
          active={selected ? activeIds.has(selected.id) : false}
        />
      ) : (
        <section className="pane sign-in-pane">
          <SignInForm />
        </section>
      )}
      <DeveloperPanel channel={CHANNEL} status={status} error={error} members={members}>
        {me ? null : <ForgedSubscription channel={CHANNEL} />}
      </DeveloperPanel>
    </div>
  )
}
