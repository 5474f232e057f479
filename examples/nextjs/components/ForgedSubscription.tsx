'use client'
import { usePresence, usePresenceClient } from '@presence/react'
import { useEffect, useState } from 'react'
import { describeRefusal } from './refusal'

/**
 * A signed-out browser whose client believes a user exists and subscribes to
 * `presence-messenger` anyway, as a tampered frontend would. The auth endpoint
 * finds no session, refuses to sign, and the member list stays empty.
 */
export function ForgedSubscription({ channel }: { channel: 'presence-messenger' }) {
  const client = usePresenceClient()
  const [forging, setForging] = useState(false)
  const { status, error, count } = usePresence(channel, { enabled: forging })

  useEffect(() => {
    if (!client || !forging) return
    // "the user exists in error": the client is told about a user the server never signed in.
    client.setUser({ id: 'forged-user' })
    return () => client.setUser(null)
  }, [client, forging])

  const refused = status === 'unauthenticated' || status === 'forbidden'
  const refusal = error ? describeRefusal(error) : null
  return (
    <section className={`tool${refused ? ' refused' : ''}`} data-testid="forged">
      <h3>Subscribe without signing in</h3>
      <p className="muted">
        This page never joins {channel} while signed out. The button makes the client subscribe
        anyway, to show that the server refuses it.
      </p>
      <button type="button" onClick={() => setForging(true)} disabled={forging || !client}>
        Try to subscribe anyway
      </button>
      {forging ? (
        <p data-testid="forged-result" data-status={status}>
          {error && refusal ? (
            <>
              The server answered{' '}
              <strong>
                HTTP <span data-testid="forged-http">{error.status}</span> ·{' '}
                <span data-testid="forged-code">{error.code}</span>
              </strong>
              {refusal.detail ? ` (${refusal.detail})` : ''}:{' '}
            </>
          ) : (
            <>
              Subscription <span data-testid="forged-status">{status}</span>:{' '}
            </>
          )}
          the page holds <span data-testid="forged-count">{count}</span> members.
          {refused
            ? ' Nothing was signed: without a session there is no token, so the websocket server never admits this browser.'
            : null}
        </p>
      ) : null}
    </section>
  )
}
