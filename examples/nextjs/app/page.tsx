import { Avatar } from '@/components/Avatar'
import { Messenger } from '@/components/Messenger'
import { SignOutButton } from '@/components/SignOutButton'
import { demoMode, pusherPublicConfig } from '@/lib/env'
import { currentUser } from '@/lib/session'
import { listUsers } from '@/lib/users'

// The page reads the session cookie and the runtime environment on every request.
export const dynamic = 'force-dynamic'

export default async function Home() {
  const me = await currentUser()
  // the directory (names and emails) goes to signed-in people only
  const users = me ? listUsers() : []
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <img src="/icon.svg" alt="" width={28} height={28} />
          <h1>Messenger</h1>
        </div>
        <div className="whoami" data-testid="whoami">
          {me ? (
            <>
              <Avatar user={me} size="sm" />
              <span className="identity">
                <strong>{me.name}</strong>
                <span className="muted">{me.email}</span>
              </span>
              <SignOutButton />
            </>
          ) : (
            <span className="muted">Signed out</span>
          )}
        </div>
      </header>
      <Messenger me={me} users={users} pusher={pusherPublicConfig()} demo={demoMode()} />
    </div>
  )
}
