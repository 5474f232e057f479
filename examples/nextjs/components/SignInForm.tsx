'use client'
import { useRouter } from 'next/navigation'
import { type FormEvent, useState } from 'react'
import { authClient } from '@/lib/auth-client'
import { DEMO_PASSWORD, DEMO_USERS } from '@/lib/demo-users'

/** Email and password sign-in through better-auth, with the demo accounts one click away. */
export function SignInForm() {
  const router = useRouter()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setPending(true)
    setError(null)
    const result = await authClient.signIn.email({ email, password })
    setPending(false)
    if (result.error) {
      setError(result.error.message ?? 'Sign-in failed')
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
      <p className="hint">
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
    </form>
  )
}
