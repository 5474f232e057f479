'use client'
import { useRouter } from 'next/navigation'
import { signOut } from 'next-auth/react'
import { useState } from 'react'

/** Signs out through next-auth and re-renders the page without a session. */
export function SignOutButton() {
  const router = useRouter()
  const [pending, setPending] = useState(false)
  return (
    <button
      type="button"
      disabled={pending}
      onClick={async () => {
        setPending(true)
        await signOut({ redirect: false })
        router.refresh()
        setPending(false)
      }}
    >
      Sign out
    </button>
  )
}
