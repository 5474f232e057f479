import type { ChannelType } from '../channel/name.js'
import { isPresenceError, PresenceError } from '../errors.js'
import type { Permit } from './verdict.js'

/** What the documented shapes are, per channel kind, for error messages. */
const SHAPES = {
  private:
    'a private channel allows with true or { events: [...] } and refuses with false or deny(code)',
  presence:
    'a presence channel allows with { user_id: string | number, user_info?: object } and refuses with false or deny(code)',
  user: 'userData returns { id: string, ...fields }',
} as const

/**
 * Names the kind of a value for an error message: `null`, `undefined`,
 * `string`, `number`, `boolean true`, `function`, `symbol`, `bigint`,
 * `an array`, `an instance of Error`, `a plain object with keys [a, b]`.
 * Never prints the value itself (it may hold secrets).
 * @param value - anything.
 * @returns a short description.
 * @internal
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'boolean') return `boolean ${value}`
  if (typeof value !== 'object') return typeof value
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto?.constructor as { name?: unknown } | undefined)?.name
    return `an instance of ${typeof name === 'string' && name !== '' ? name : 'a class'}`
  }
  const keys = Object.keys(value).slice(0, 5)
  return keys.length === 0 ? 'an empty object' : `a plain object with keys [${keys.join(', ')}]`
}

/**
 * Whether `value` is a plain object: made by `{}`, `Object.create(null)` or
 * JSON, not an instance of a class (an `Error`, a `Map`, a `Date`...).
 * @internal
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * The 500 `INVALID_AUTHORIZER_RESULT` for a value outside the documented shapes.
 * @param what - who returned it (`the authorizer for 'private-doc-{id}'`).
 * @param value - the value.
 * @param kind - which shapes were expected.
 * @returns the error; its message names the value's type and the shapes.
 * @internal
 */
export function invalidResult(
  what: string,
  value: unknown,
  kind: keyof typeof SHAPES,
): PresenceError {
  return new PresenceError(
    'INVALID_AUTHORIZER_RESULT',
    `${what} returned ${describeValue(value)}; ${SHAPES[kind]}. Nothing was signed.`,
    { cause: value },
  )
}

/**
 * Whether every item is a retained event's shape, `{ event: string, data }`.
 * @param events - an authorizer's `events`, or a retained-event provider's list.
 * @returns the answer.
 * @internal
 */
export function areRetainedEvents(events: unknown[]): boolean {
  return events.every((item) => isPlainObject(item) && typeof item.event === 'string')
}

/**
 * Reads an authorizer's result strictly. Only the documented shapes allow:
 * - private (and private-encrypted): `true`, or a plain object whose
 *   `events` is an array of `{ event: string, data }`;
 * - presence: a plain object with `user_id` (a non-empty string, or a
 *   finite number, sent as its decimal string) and, optionally,
 *   `user_info` (a plain object; `{}` is signed when it is absent, so every
 *   Pusher-protocol server lists the member).
 *
 * `false` refuses (`CHANNEL_FORBIDDEN`), a {@link PresenceError} (from
 * `deny(...)`) refuses with its code. Anything else — an `Error` or another
 * class instance, a plain object without the documented fields, a string, a
 * number, a function, a symbol, `null`, `undefined`, `true` for a presence
 * channel — is `INVALID_AUTHORIZER_RESULT` (500). Extra keys next to valid
 * ones are ignored.
 *
 * @param result - what the authorizer returned (awaited).
 * @param type - the channel's type.
 * @param pattern - the definition's pattern, named in messages.
 * @returns the permit, or the refusal.
 * @internal
 */
export function interpretResult(
  result: unknown,
  type: ChannelType,
  pattern: string,
): Permit | PresenceError {
  if (result === true && type !== 'presence') return {}
  const what = `the authorizer for ${pattern}`
  if (result === false) return new PresenceError('CHANNEL_FORBIDDEN', `${what} refused the channel`)
  if (isPresenceError(result)) return result
  if (type === 'presence') {
    if (!isPlainObject(result)) return invalidResult(what, result, 'presence')
    const { user_id: id, user_info: info } = result
    const userId =
      typeof id === 'string' && id !== ''
        ? id
        : typeof id === 'number' && Number.isFinite(id)
          ? String(id)
          : null
    if (userId === null) return invalidResult(what, result, 'presence')
    // Always sent: soketi leaves a member without user_info out of the list it gives a new
    // subscriber, so everyone already present would look offline.
    if (info === undefined) return { member: { user_id: userId, user_info: {} } }
    if (!isPlainObject(info)) return invalidResult(`${what} (user_info)`, info, 'presence')
    return { member: { user_id: userId, user_info: info } }
  }
  if (result === true) return {}
  if (isPlainObject(result) && Array.isArray(result.events) && areRetainedEvents(result.events)) {
    return result.events.length > 0 ? { events: result.events as Permit['events'] & [] } : {}
  }
  return invalidResult(what, result, 'private')
}

/**
 * Reads the `userData` option's result for user authentication strictly:
 * a plain object with a non-empty string `id`.
 * @param result - what `userData` returned (awaited).
 * @returns the user data, or `INVALID_AUTHORIZER_RESULT`.
 * @internal
 */
export function interpretUserData(result: unknown): { id: string } | PresenceError {
  if (isPresenceError(result)) return result
  if (isPlainObject(result) && typeof result.id === 'string' && result.id !== '') {
    return result as { id: string }
  }
  return invalidResult('the userData option', result, 'user')
}
