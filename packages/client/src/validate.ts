import type { StandardSchemaV1 } from '@standard-schema/spec'
import { InvalidEventError } from './errors.js'
import type { EventSchemas, PresenceClientOptions } from './options.js'
import type { EventHandler } from './types.js'

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

/** Wraps one handler so that it receives only payloads its schema accepts. @internal */
export type HandlerValidator = (name: string, event: string, handler: EventHandler) => EventHandler

/**
 * Builds the validation the client applies to every handler it binds: payloads with a schema
 * are validated before the handler sees them; a failure goes to `onInvalidEvent`, never to
 * the handler nor into pusher-js.
 *
 * @param options - the client's `schemas` and `onInvalidEvent` (default `console.error`).
 * @returns the validator; without `schemas`, one that returns each handler as it is.
 * @internal
 */
export function createValidator({
  schemas,
  onInvalidEvent = (error) => console.error(error),
}: Pick<PresenceClientOptions, 'schemas' | 'onInvalidEvent'>): HandlerValidator {
  if (!schemas) return (_name, _event, handler) => handler
  const find = schemasFor(schemas)
  return (name, event, handler) => {
    const schema = find(name)?.[event]
    if (!schema) return handler
    return (data) => {
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
    }
  }
}
