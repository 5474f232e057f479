import type { IncomingMessage, ServerResponse } from 'node:http'
import type { SoketiServer } from '@presence/testing'
import Pusher from 'pusher'

// TEMPORARY until @presence/server's handlers land: the same wire protocol with the pusher SDK.
export function createAuthApp(soketi: SoketiServer, forbidden: Set<string>) {
  const pusher = new Pusher(soketi.pusherOptions)
  const decide = (socketId: string, channel: string, user: string | null) => {
    if (!user) return { error: { code: 'UNAUTHENTICATED', status: 401 } }
    if (forbidden.has(channel)) return { error: { code: 'CHANNEL_FORBIDDEN', status: 403 } }
    if (channel.startsWith('presence-'))
      return pusher.authorizeChannel(socketId, channel, {
        user_id: user,
        user_info: { name: user },
      })
    const out: Record<string, unknown> = { ...pusher.authorizeChannel(socketId, channel) }
    if (channel.startsWith('private-stream@'))
      out.events = [
        { event: 'retained', data: 1 },
        { event: 'retained', data: 2 },
      ]
    return out
  }
  return (req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      const user = (req.headers['x-user'] as string | undefined) ?? null
      res.setHeader('content-type', 'application/json')
      if (req.url?.startsWith('/batch')) {
        const { socket_id, channels } = JSON.parse(body) as {
          socket_id: string
          channels: string[]
        }
        res.end(
          JSON.stringify(Object.fromEntries(channels.map((c) => [c, decide(socket_id, c, user)]))),
        )
        return
      }
      const form = new URLSearchParams(body)
      const out = decide(form.get('socket_id') ?? '', form.get('channel_name') ?? '', user) as {
        error?: { status: number }
      }
      res.statusCode = out.error ? out.error.status : 200
      res.end(JSON.stringify(out))
    })
  }
}
