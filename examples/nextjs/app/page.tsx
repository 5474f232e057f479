import { Messenger } from '@/components/Messenger'
import { SignInForm } from '@/components/SignInForm'
import { SignOutButton } from '@/components/SignOutButton'
import { pusherPublicConfig } from '@/lib/env'
import { currentUser } from '@/lib/session'
import { listUsers } from '@/lib/users'

// The page reads the session cookie and the runtime environment on every request.
export const dynamic = 'force-dynamic'

export default async function Home() {
  const [me, users] = await Promise.all([currentUser(), listUsers()])
  return (
    <main>
      <header>
        <h1>Messenger</h1>
        {me ? (
          <div className="whoami" data-testid="whoami">
            Signed in as <strong>{me.name}</strong> ({me.email}) <SignOutButton />
          </div>
        ) : (
          <div className="whoami" data-testid="whoami">
            Signed out
          </div>
        )}
      </header>
      {me ? null : <SignInForm />}
      <Messenger me={me} users={users} pusher={pusherPublicConfig()} />
    </main>
  )
}
