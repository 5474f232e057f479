import { headers } from 'next/headers'
import { getAuth } from './auth'
import type { DirectoryUser } from './users'

/** The signed-in user of the current request (server components), or `null`. */
export async function currentUser(): Promise<DirectoryUser | null> {
  const session = await getAuth().api.getSession({ headers: await headers() })
  if (!session) return null
  const { id, name, email, image } = session.user
  return { id, name, email, image: image ?? null }
}
