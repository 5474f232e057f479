'use client'
import { useOthers } from '@presence/react'

const CHANNEL = 'presence-messenger'

/** Props of {@link TypingIndicator}. */
export interface TypingIndicatorProps {
  /** The user whose typing is shown. */
  userId: string
  /** Their first name, as the line says it. */
  name: string
}

/**
 * "Ada is typing…" while the member `userId` of `presence-messenger` has `typing: true` in
 * their live state. `useOthers` with a selector that returns a boolean re-renders this line
 * only when that boolean flips, not on every change of anyone's state.
 */
export function TypingIndicator({ userId, name }: TypingIndicatorProps) {
  const typing = useOthers(CHANNEL, (others) =>
    others.some((member) => member.id === userId && member.state.typing === true),
  )
  return (
    <p className="typing" aria-live="polite" data-testid="typing">
      {typing ? `${name} is typing…` : ''}
    </p>
  )
}
