import { getAuth } from './auth'

/** A user as the page shows it (and as `presence-messenger` signs it: `user_info`). */
export interface DirectoryUser {
  id: string
  name: string
  email: string
  image: string | null
}

/** Every user of the app, by name: the messenger's directory. */
export async function listUsers(): Promise<DirectoryUser[]> {
  const ctx = await getAuth().$context
  const users = await ctx.internalAdapter.listUsers(undefined, undefined, {
    field: 'name',
    direction: 'asc',
  })
  return users.map((user) => ({
    id: user.id,
    name: user.name,
    email: user.email,
    image: user.image ?? null,
  }))
}
