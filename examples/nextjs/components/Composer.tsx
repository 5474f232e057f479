'use client'
import { useMyState } from '@presence/react'
import { type FormEvent, useEffect, useRef, useState } from 'react'

const CHANNEL = 'presence-messenger'
/** How long after the last keystroke "typing…" stops showing to the others. */
export const TYPING_IDLE_MS = 2000

/** Props of {@link Composer}. */
export interface ComposerProps {
  /** The first name of the person the message is for, for the placeholder. */
  to: string
}

/**
 * The message box of the open conversation. While the user types, it publishes
 * `{ typing: true }` as this member's live state on `presence-messenger` (`useMyState`), and
 * `{ typing: false }` once they stop for {@link TYPING_IDLE_MS}, send, clear the box or leave
 * the conversation. The client coalesces the updates, so a burst of keystrokes costs at most
 * 10 client events a second.
 */
export function Composer({ to }: ComposerProps) {
  const [, updateMyState] = useMyState(CHANNEL)
  const [draft, setDraft] = useState('')
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const typing = useRef(false)

  const stopTyping = () => {
    clearTimeout(idle.current)
    if (!typing.current) return
    typing.current = false
    updateMyState({ typing: false })
  }
  // Leaving the conversation (the pane keys the composer by person) or the page stops
  // "typing…" too: the latest stopTyping, run once on unmount.
  const stopOnUnmount = useRef(stopTyping)
  stopOnUnmount.current = stopTyping
  useEffect(() => () => stopOnUnmount.current(), [])

  const onChange = (value: string) => {
    setDraft(value)
    if (value === '') return stopTyping()
    if (!typing.current) {
      typing.current = true
      updateMyState({ typing: true })
    }
    clearTimeout(idle.current)
    idle.current = setTimeout(stopTyping, TYPING_IDLE_MS)
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    setDraft('')
    stopTyping()
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      <input
        aria-label={`Message ${to}`}
        placeholder={`Message ${to}…`}
        value={draft}
        onChange={(event) => onChange(event.target.value)}
        onBlur={stopTyping}
        data-testid="composer"
      />
      <button type="submit" disabled={draft.trim() === ''}>
        Send
      </button>
    </form>
  )
}
