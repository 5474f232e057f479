'use client'
import { usePresence, usePresenceClient } from '@presence/react'
import { useEffect, useState } from 'react'

/**
 * The original messenger's second diagram, made visible: a signed-out browser whose client
 * believes a user exists and subscribes to `presence-messenger` anyway. The
 * auth endpoint finds no session, refuses to sign, and the member list stays
 * empty.
 */
export function ForgedSubscription() {
  const client = usePresenceClient()
  const [forging, setForging] = useState(false)
  const { status, error, count } = usePresence('presence-messenger', { enabled: forging })

  useEffect(() => {
    if (!client || !forging) return
    // "user exists in error": the client is told about a user the server never signed in.
    client.setUser({ id: 'forged-user' })
    return () => client.setUser(null)
  }, [client, forging])

  const refused = status === 'unauthenticated' || status === 'forbidden'
  return (
    <section className={`card${refused ? ' refused' : ''}`} data-testid="forged">
      <h2>Subscribe without signing in</h2>
      <p className="muted">
        The page never joins presence-messenger while signed out. This button makes the client
        subscribe anyway, as a tampered frontend would.
      </p>
      <div>
        <button type="button" onClick={() => setForging(true)} disabled={forging || !client}>
          Try to subscribe anyway
        </button>
      </div>
      {forging && (
        <div className="status" data-testid="forged-result" data-status={status}>
          <div>
            status: <span data-testid="forged-status">{status}</span>
          </div>
          {error && (
            <div>
              refused: HTTP <span data-testid="forged-http">{error.status}</span>{' '}
              <span data-testid="forged-code">{error.code}</span>
              {error.message ? ` (${error.message})` : ''}
            </div>
          )}
          <div>
            members: <span data-testid="forged-count">{count}</span>
          </div>
          {refused && (
            <p>
              The server did not sign the subscription: no session, no token. The member list stays
              empty.
            </p>
          )}
        </div>
      )}
    </section>
  )
}
