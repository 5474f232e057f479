import Pusher from 'pusher'
import type { SoketiServer } from './soketi.js'

/**
 * Reads soketi's own truth for a presence channel,
 * `GET /apps/{id}/channels/{name}/users`, as a sorted list of user ids.
 */
export async function soketiChannelUsers(soketi: SoketiServer, channel: string): Promise<string[]> {
  const pusher = new Pusher(soketi.pusherOptions)
  const res = await pusher.get({ path: `/channels/${channel}/users` })
  const body = (await res.json()) as { users: Array<{ id: string }> }
  return body.users.map((u) => u.id).sort()
}
