import type { StandardSchemaV1 } from '@standard-schema/spec'
import { PresenceClientError } from './errors.js'
import type { EventHandler, PresenceClient, PresenceClientOptions } from './types.js'

/**
 * Validators of incoming event payloads: a channel pattern (`'private-doc@{docId}'`, as in the
 * channel map) → event name → a Standard Schema (zod, valibot, arktype… all implement it).
 */
export type EventSchemas = {
  [pattern: string]: { [event: string]: StandardSchemaV1 }
}

/**
 * The channel map described by a set of {@link EventSchemas}: each event's payload is its
 * schema's output, so the schemas can be the one declaration of the app's events.
 *
 * @example
 * ```ts
 * const schemas = { 'private-doc@{docId}': { updated: v.object({ rev: v.number() }) } }
 * type AppChannels = SchemaChannels<typeof schemas>
 * // { 'private-doc@{docId}': { events: { updated: { rev: number } } } }
 * ```
 */
export type SchemaChannels<S extends EventSchemas> = {
  [P in keyof S]: { events: { [E in keyof S[P]]: StandardSchemaV1.InferOutput<S[P][E]> } }
}

/**
 * An incoming event whose payload failed its schema (code `INVALID_EVENT`). Given to
 * `onInvalidEvent`; its handlers were not called.
 */
export class InvalidEventError extends PresenceClientError {
  /** The event name. */
  declare readonly event: string
  /** The payload as received. */
  declare readonly data: unknown
  /** The schema's issues (`message`, `path`). */
  declare readonly issues: ReadonlyArray<StandardSchemaV1.Issue>

  /**
   * @param channel - the channel name.
   * @param event - the event name.
   * @param data - the payload as received.
   * @param issues - the schema's issues.
   */
  constructor(
    channel: string,
    event: string,
    data: unknown,
    issues: ReadonlyArray<StandardSchemaV1.Issue>,
  ) {
    super(
      'INVALID_EVENT',
      `${channel} "${event}": ${issues.map((i) => i.message).join('; ') || 'invalid payload'}`,
      { channel },
    )
    Object.assign(this, { name: 'InvalidEventError', event, data, issues })
  }
}

/** A pattern as a regular expression: `{param}` matches one or more characters. */
const patternRegExp = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split(/\{[^}]*\}/)
      .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^]+?')}$`,
  )

/**
 * Finds the schemas of a channel: its literal pattern first, else the first pattern whose
 * params match.
 */
function schemasFor(schemas: EventSchemas): (name: string) => EventSchemas[string] | undefined {
  const patterns = Object.keys(schemas).map((p) => [patternRegExp(p), schemas[p]] as const)
  return (name) => schemas[name] ?? patterns.find(([re]) => re.test(name))?.[1]
}

/**
 * Wraps a client's `on` so that payloads with a schema are validated before the handlers see
 * them: a failure goes to `onInvalid`, never to the handler nor into pusher-js.
 *
 * @param client - the client.
 * @param options - the client's `schemas` (none: the client is returned as it is) and
 *   `onInvalidEvent` (default `console.error`).
 * @returns the same client, its `on` validating.
 * @internal
 */
export function validating<C extends PresenceClient>(
  client: C,
  { schemas, onInvalidEvent = (error) => console.error(error) }: PresenceClientOptions,
): C {
  if (!schemas) return client
  const find = schemasFor(schemas)
  const on = client.on.bind(client) as (n: string, e: string, h: EventHandler) => () => void
  const validated = (name: string, event: string, handler: EventHandler): (() => void) => {
    const schema = find(name)?.[event]
    if (!schema) return on(name, event, handler)
    return on(name, event, (data) => {
      const settle = (result: StandardSchemaV1.Result<unknown>) => {
        if (result.issues) onInvalidEvent(new InvalidEventError(name, event, data, result.issues))
        else handler(result.value)
      }
      const result = schema['~standard'].validate(data)
      if (result instanceof Promise) result.then(settle, (cause) => onInvalidEvent(failed(cause)))
      else settle(result)
      function failed(cause: unknown) {
        return new InvalidEventError(name, event, data, [{ message: String(cause) }])
      }
    })
  }
  client.on = validated as C['on']
  return client
}
