/**
 * The app's configuration from the environment, checked before anything starts: no
 * secret has a fallback, and a start that lacks some stops with one message naming
 * every missing (or unusable) variable. See "Deploying" in README.md.
 * @module
 */
import { Buffer } from 'node:buffer'

/** What {@link readConfig} returns: everything `main.ts` needs to start the app. */
export interface EnvConfig {
  /** Demo mode (`--demo`): seeds an empty database with the demo accounts. */
  demo: boolean
  production: boolean
  port: number
  host: string
  name: string
  pusher: { appId: string; key: string; secret: string; encryptionMasterKeyBase64?: string }
  redisUrl: string
  databasePath: string
  /** The Bearer token `GET /metrics` requires; `null`: metrics are refused to everyone. */
  metricsToken: string | null
}

/** Codes of {@link ConfigError}. */
export type ConfigErrorCode = 'CONFIG_MISSING' | 'CONFIG_INVALID' | 'DEMO_DATA_OUTSIDE_DEMO'

/** The app cannot start as configured; `message` says what to set. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  /** `CONFIG_MISSING` when a variable is missing, `CONFIG_INVALID` when one is unusable. */
  readonly code: ConfigErrorCode
  /** The missing variables, in the order of the README's table. */
  readonly missing: readonly string[]
  /** The unusable variables, each with why. */
  readonly invalid: readonly string[]

  /**
   * @param code - what kind of problem
   * @param message - the whole message, naming every variable concerned
   * @param details - the missing and unusable variables
   */
  constructor(
    code: ConfigErrorCode,
    message: string,
    details: { missing?: string[]; invalid?: string[] } = {},
  ) {
    super(message)
    this.code = code
    this.missing = details.missing ?? []
    this.invalid = details.invalid ?? []
  }
}

/** soketi's published default app secret: fine for a laptop, never for a deployment. */
const SOKETI_DEFAULT_SECRET = 'app-secret'
/** The shortest `METRICS_TOKEN` accepted (`openssl rand -hex 16` makes 32 characters). */
const MIN_METRICS_TOKEN = 32

/**
 * Reads and checks the environment.
 *
 * Always required: `PUSHER_APP_ID`, `PUSHER_KEY`, `PUSHER_SECRET`. With
 * `NODE_ENV=production`, also `REDIS_URL` and `DATABASE_PATH`, and `PUSHER_SECRET` may not be
 * soketi's published `app-secret`. `ENCRYPTED_CHANNELS=on` requires
 * `PUSHER_ENCRYPTION_MASTER_KEY_BASE64` (32 bytes, base64). `METRICS_TOKEN` is optional
 * (at least 32 characters).
 *
 * @param env - the environment, usually `process.env`
 * @param options - `demo`: a demo start (`--demo`), refused with `NODE_ENV=production`
 * @returns the configuration
 * @throws {ConfigError} naming every missing and every unusable variable at once
 * @example
 * const config = readConfig(process.env, { demo: process.argv.includes('--demo') })
 */
export function readConfig(
  env: Record<string, string | undefined>,
  options: { demo?: boolean } = {},
): EnvConfig {
  const demo = options.demo === true
  const production = env.NODE_ENV === 'production'
  const missing: string[] = []
  const invalid: string[] = []
  const read = (name: string, required: boolean): string | undefined => {
    const value = env[name]?.trim()
    if (value) return value
    if (required) missing.push(name)
    return undefined
  }

  const appId = read('PUSHER_APP_ID', true)
  const key = read('PUSHER_KEY', true)
  const secret = read('PUSHER_SECRET', true)
  const redisUrl = read('REDIS_URL', production)
  const databasePath = read('DATABASE_PATH', production)
  const encrypted = read('ENCRYPTED_CHANNELS', false) ?? 'off'
  const masterKey = read('PUSHER_ENCRYPTION_MASTER_KEY_BASE64', encrypted === 'on')
  const metricsToken = read('METRICS_TOKEN', false)

  if (production && demo) {
    invalid.push('NODE_ENV (demo mode, --demo, is not allowed with NODE_ENV=production)')
  }
  if (production && secret === SOKETI_DEFAULT_SECRET) {
    invalid.push("PUSHER_SECRET (soketi's published default 'app-secret')")
  }
  if (encrypted !== 'on' && encrypted !== 'off') {
    invalid.push(`ENCRYPTED_CHANNELS ('on' or 'off', not '${encrypted}')`)
  }
  if (encrypted === 'on' && masterKey !== undefined && !isMasterKey(masterKey)) {
    invalid.push(
      'PUSHER_ENCRYPTION_MASTER_KEY_BASE64 (base64 of 32 bytes: `openssl rand -base64 32`)',
    )
  }
  if (metricsToken !== undefined && metricsToken.length < MIN_METRICS_TOKEN) {
    invalid.push(
      `METRICS_TOKEN (at least ${MIN_METRICS_TOKEN} characters: \`openssl rand -hex 16\`)`,
    )
  }
  const port = Number(env.PORT ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) invalid.push('PORT (a port number)')

  if (missing.length > 0 || invalid.length > 0) {
    const mode = production ? ' (NODE_ENV=production)' : ''
    const parts = [
      missing.length > 0 ? `missing environment variables ${missing.join(', ')}` : '',
      invalid.length > 0 ? `unusable: ${invalid.join('; ')}` : '',
    ].filter(Boolean)
    throw new ConfigError(
      missing.length > 0 ? 'CONFIG_MISSING' : 'CONFIG_INVALID',
      `Cannot start${mode}: ${parts.join('; ')}. ` +
        'No secret has a default; see "Deploying" in README.md.',
      { missing, invalid },
    )
  }
  if (encrypted !== 'on' && masterKey !== undefined) {
    console.warn(
      'PUSHER_ENCRYPTION_MASTER_KEY_BASE64 is set but ENCRYPTED_CHANNELS is not on: no private-encrypted- channel is defined.',
    )
  }

  return {
    demo,
    production,
    port,
    host: env.HOST ?? '127.0.0.1',
    name: env.INSTANCE_NAME ?? 'app',
    pusher: {
      appId: appId as string,
      key: key as string,
      secret: secret as string,
      ...(encrypted === 'on' && masterKey ? { encryptionMasterKeyBase64: masterKey } : {}),
    },
    redisUrl: redisUrl ?? 'redis://127.0.0.1:6379',
    databasePath: databasePath ?? ':memory:',
    metricsToken: metricsToken ?? null,
  }
}

function isMasterKey(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false
  return Buffer.from(value, 'base64').length === 32
}
