import type Pusher from 'pusher'
import { EXTENSION_ORIGIN } from '../extension-id.js'
import type { BackendConfig } from './app.js'

/** What the production entry point reads from the environment, besides {@link BackendConfig}. */
export interface StartConfig {
  backend: BackendConfig
  port: number
  host: string
}

/**
 * Thrown by {@link readEnv} when variables are missing or unusable; `variables` names every one
 * of them, so a deployment learns all it has to fix from one start.
 */
export class EnvError extends Error {
  readonly code = 'ENV_INVALID'
  constructor(
    readonly variables: readonly string[],
    problems: readonly string[],
  ) {
    super(
      `The backend cannot start: ${problems.join('; ')}. Set them in the environment (see "Deploying" in examples/chrome-extension/README.md); no defaults exist for secrets.`,
    )
    this.name = 'EnvError'
  }
}

/** Secrets published with soketi and this example: refused as production secrets. */
const PUBLISHED_SECRETS = new Set(['app-secret', 'presence-demo'])
/** better-auth's recommendation: 32 characters or more. */
const MIN_AUTH_SECRET_LENGTH = 32

/**
 * Reads and checks the backend's environment, all at once: every missing or unusable variable
 * is named in one {@link EnvError}. Nothing has a fallback secret; only ports, the listen host,
 * TLS and the allowed origins have defaults.
 *
 * Required: `PUSHER_APP_ID`, `PUSHER_KEY`, `PUSHER_SECRET`, `PUSHER_HOST` (or `PUSHER_CLUSTER`
 * for Pusher Channels), `BETTER_AUTH_SECRET` (32+ characters), `BETTER_AUTH_URL`,
 * `DATABASE_PATH`. Optional: `PUSHER_PORT`, `PUSHER_USE_TLS` (default `true`), `PORT` (default
 * 3000), `HOST` (default `0.0.0.0`), `ALLOWED_ORIGINS` (comma-separated, default the
 * extension's origin), `TRUST_PROXY` (Express's `trust proxy`: `loopback`, a hop count...;
 * default none: the socket address keys the sign-in rate limits).
 *
 * @param env - the environment, `process.env` by default
 * @returns the backend's configuration (never demo mode, debug only when `NODE_ENV=development`)
 * @throws {EnvError} naming every missing or unusable variable
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): StartConfig {
  const missing: string[] = []
  const invalid: string[] = []
  const read = (name: string) => {
    const value = env[name]?.trim()
    if (!value) missing.push(name)
    return value ?? ''
  }
  const optional = (name: string) => env[name]?.trim() || undefined

  const appId = read('PUSHER_APP_ID')
  const key = read('PUSHER_KEY')
  const secret = read('PUSHER_SECRET')
  const cluster = optional('PUSHER_CLUSTER')
  const host = cluster ? optional('PUSHER_HOST') : read('PUSHER_HOST')
  const authSecret = read('BETTER_AUTH_SECRET')
  const baseURL = read('BETTER_AUTH_URL')
  const database = read('DATABASE_PATH')

  if (secret && PUBLISHED_SECRETS.has(secret)) invalid.push('PUSHER_SECRET (a published default)')
  if (authSecret && authSecret.length < MIN_AUTH_SECRET_LENGTH)
    invalid.push(`BETTER_AUTH_SECRET (shorter than ${MIN_AUTH_SECRET_LENGTH} characters)`)
  if (baseURL && !URL.canParse(baseURL)) invalid.push('BETTER_AUTH_URL (not a URL)')
  const port = Number(optional('PORT') ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) invalid.push('PORT (not a port)')
  const pusherPort = optional('PUSHER_PORT')
  if (pusherPort !== undefined && !/^\d{1,5}$/.test(pusherPort))
    invalid.push('PUSHER_PORT (not a port)')
  const tls = optional('PUSHER_USE_TLS') ?? 'true'
  if (tls !== 'true' && tls !== 'false') invalid.push('PUSHER_USE_TLS (true or false)')

  if (missing.length > 0 || invalid.length > 0) {
    const problems = [
      ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
      ...(invalid.length > 0 ? [`unusable ${invalid.join(', ')}`] : []),
    ]
    const names = [...missing, ...invalid.map((entry) => entry.split(' ')[0] ?? entry)]
    throw new EnvError(names, problems)
  }

  const pusher: Pusher.Options = {
    appId,
    key,
    secret,
    useTLS: tls === 'true',
    ...(cluster ? { cluster } : {}),
    ...(host ? { host } : {}),
    ...(pusherPort ? { port: pusherPort } : {}),
  } as Pusher.Options
  const origins = optional('ALLOWED_ORIGINS')
  const trustProxy = optional('TRUST_PROXY')
  return {
    backend: {
      pusher,
      authSecret,
      baseURL,
      database,
      allowedOrigins: origins
        ? origins
            .split(',')
            .map((origin) => origin.trim())
            .filter(Boolean)
        : [EXTENSION_ORIGIN],
      demo: false,
      ...(trustProxy
        ? { trustProxy: /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy }
        : {}),
      debug: env.NODE_ENV === 'development',
    },
    port,
    host: optional('HOST') ?? '0.0.0.0',
  }
}
