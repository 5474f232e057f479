import { readFileSync } from 'node:fs'
import { createPresenceServer, createSigner, deny, type SessionAdapter } from '@presence/server'
import { describe, expect, it } from 'vitest'

// The error bodies docs/debugging-403.md shows are the ones the server answers, trace order included.
const guide = readFileSync(new URL('./debugging-403.md', import.meta.url), 'utf8')
const jsonBlocks = [...guide.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) =>
  JSON.parse(m[1] ?? ''),
)
const shown = (code: string) => jsonBlocks.find((body) => body.error?.code === code)

function serverFor(session: SessionAdapter) {
  return createPresenceServer({
    signer: createSigner({ key: 'app-key', secret: 'app-secret' }),
    session,
    debug: true,
    channels: {
      'private-session-{sessionId}': ({ params, user }) =>
        deny('SESSION_NOT_FOUND', `no session ${params.sessionId} for tenant ${user.tenantId}`),
    },
  })
}

async function answer(session: SessionAdapter, channel: string): Promise<unknown> {
  const response = await serverFor(session).handlers.auth(
    new Request('http://127.0.0.1/api/pusher/auth', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ socket_id: '123.456', channel_name: channel }),
    }),
  )
  return response.json()
}

describe('docs/debugging-403.md shows the real error bodies', () => {
  it('a refusal by the authorizer, with the trace in the order the checks run', async () => {
    const body = await answer(
      () => ({ userId: 'alice', tenantId: 'org_1' }),
      'private-session-8f2c',
    )
    expect(body).toEqual(shown('SESSION_NOT_FOUND'))
  })

  it('no session', async () => {
    expect(await answer(() => null, 'private-session-8f2c')).toEqual(shown('UNAUTHENTICATED'))
  })

  it('a channel nobody declared', async () => {
    const body = (await answer(() => ({ userId: 'alice' }), 'private-orders')) as {
      error: { code: string; message: string }
    }
    expect({ error: { code: body.error.code, message: body.error.message } }).toEqual(
      shown('CHANNEL_UNKNOWN'),
    )
  })
})
