import { getServerSession } from 'next-auth'
import { authOptions } from './auth'
import type { DirectoryUser } from './users'

/** The signed-in user of the current request (server components), or `null`. */
export async function currentUser(): Promise<DirectoryUser | null> {
  const session = await getServerSession(authOptions)
  const user = session?.user as
    | { id?: string; name?: string | null; email?: string | null; image?: string | null }
    | undefined
  if (!user?.id || !user.email) return null
  return {
    id: user.id,
    name: user.name ?? user.email,
    email: user.email,
    image: user.image ?? null,
  }
}
