'use client'
import { useRouter } from 'next/navigation'
import { signIn } from 'next-auth/react'
import { type FormEvent, useState } from 'react'
import { DEMO_PASSWORD, DEMO_USERS } from '@/lib/demo-users'

/** What next-auth's error codes mean to the person signing in. */
const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'Wrong email or password.',
  RateLimited: 'Too many sign-in attempts from this address. Wait a minute and try again.',
}

/**
 * Email and password sign-in through next-auth's credentials provider; in demo mode, the demo
 * accounts are one click away.
 */
export function SignInForm({ demo }: { demo: boolean }) {
  const router = useRouter()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setPending(true)
    setError(null)
    const result = await signIn('credentials', { email, password, redirect: false })
    setPending(false)
    if (!result?.ok || result.error) {
      const code = result?.error ?? (result?.status === 429 ? 'RateLimited' : 'CredentialsSignin')
      setError(MESSAGES[code] ?? 'Sign-in failed.')
      return
    }
    router.refresh()
  }

  return (
    <form className="sign-in" onSubmit={onSubmit} aria-label="Sign in">
      <h2>Sign in</h2>
      <label>
        Email
        <input
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          required
        />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          required
        />
      </label>
      <button type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {demo ? (
        <p className="hint" data-testid="demo-accounts">
          Demo accounts (password <code>{DEMO_PASSWORD}</code>):{' '}
          {DEMO_USERS.map((user) => (
            <button
              key={user.email}
              type="button"
              className="link"
              onClick={() => {
                setEmail(user.email)
                setPassword(DEMO_PASSWORD)
              }}
            >
              {user.email}
            </button>
          ))}
        </p>
      ) : null}
    </form>
  )
}
