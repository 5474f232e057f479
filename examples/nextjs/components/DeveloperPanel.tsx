'use client'
import { useConnectionState } from '@presence/react'
import type { ReactNode } from 'react'
import { describeRefusal, type Refusal } from './refusal'

/** Props of {@link DeveloperPanel}. */
export interface DeveloperPanelProps {
  /** The channel this page joins. */
  channel: string
  /** Where the subscription stands (`idle` while signed out). */
  status: string
  /** The server's refusal, if any. */
  error: Refusal | null
  /** How many members the page holds. */
  members: number
  /** Extra tools shown inside the panel (the signed-out subscription test). */
  children?: ReactNode
}

/**
 * Connection and authorization details for developers, folded away from the
 * messenger itself: websocket state, channel status, member count, refusal.
 */
export function DeveloperPanel({ channel, status, error, members, children }: DeveloperPanelProps) {
  const connection = useConnectionState()
  const refusal = error ? describeRefusal(error) : null
  return (
    <details className="developer" data-testid="developer-panel">
      <summary>
        Developer details
        <span className="muted">
          {' '}
          · {connection} · {status}
        </span>
      </summary>
      <dl className="facts" data-testid="channel-status" data-status={status}>
        <dt>Websocket</dt>
        <dd data-testid="connection">{connection}</dd>
        <dt>Channel</dt>
        <dd>
          <code>{channel}</code>
        </dd>
        <dt>Subscription</dt>
        <dd data-testid="status">{status}</dd>
        <dt>Members held</dt>
        <dd data-testid="member-count">{members}</dd>
        {refusal ? (
          <>
            <dt>Refused</dt>
            <dd data-testid="refusal">
              {refusal.summary}
              {refusal.detail ? <div className="muted">{refusal.detail}</div> : null}
            </dd>
          </>
        ) : null}
      </dl>
      {children}
    </details>
  )
}
