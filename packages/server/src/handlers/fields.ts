import { PresenceError } from '../errors.js'

/** The fields of a request body or query, whatever its encoding. @internal */
export interface Fields {
  /** The first value of a field, as sent (string for forms, any JSON for JSON). */
  get(name: string): unknown
  /** Form fields named `name[i]` / `name[]`, in index order; `null` when there are none. */
  indexed(name: string): string[] | null
  /** All values of a repeated form field. */
  all(name: string): unknown[]
}

/** Fields of a form body or a query string. @internal */
export function formFields(params: URLSearchParams): Fields {
  return new FormFields(params)
}

class FormFields implements Fields {
  constructor(private readonly params: URLSearchParams) {}
  get(name: string): string | null {
    return this.params.get(name)
  }
  all(name: string): string[] {
    return this.params.getAll(name)
  }
  indexed(name: string): string[] | null {
    const found: Array<[number, string]> = []
    const prefix = `${name}[`
    let next = 0
    for (const [key, value] of this.params) {
      if (!key.startsWith(prefix) || !key.endsWith(']')) continue
      const inner = key.slice(prefix.length, -1)
      const index = inner === '' ? next : Number(inner)
      if (!Number.isInteger(index) || index < 0) continue
      next = Math.max(next, index + 1)
      found.push([index, value])
    }
    if (found.length === 0) return null
    return found.sort((a, b) => a[0] - b[0]).map(([, value]) => value)
  }
}

/** Fields of a JSON object body. @internal */
export function jsonFields(value: Record<string, unknown>): Fields {
  return {
    get: (name) => (Object.hasOwn(value, name) ? value[name] : null),
    all: (name) => {
      const field = Object.hasOwn(value, name) ? value[name] : undefined
      return field === undefined || field === null ? [] : Array.isArray(field) ? field : [field]
    },
    indexed: () => null,
  }
}

/**
 * The media type of a `Content-Type` header, lower case, without parameters.
 * @param header - the header value or `null`.
 * @returns e.g. `'application/json'`, or `''` when absent.
 * @internal
 */
export function mediaType(header: string | null): string {
  if (header === null) return ''
  const semicolon = header.indexOf(';')
  return (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase()
}

/**
 * Parses a body: JSON for `application/json` (and `+json`), a form for
 * `application/x-www-form-urlencoded` or no content type.
 * @param contentType - the `Content-Type` header.
 * @param text - the body.
 * @returns the fields.
 * @throws PresenceError `UNSUPPORTED_MEDIA_TYPE` or `BAD_REQUEST`.
 * @internal
 */
export function parseBody(contentType: string | null, text: string): Fields {
  const type = mediaType(contentType)
  if (type === '' || type === 'application/x-www-form-urlencoded') {
    return formFields(new URLSearchParams(text))
  }
  if (type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))) {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      throw new PresenceError('BAD_REQUEST', 'the body is not valid JSON')
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new PresenceError('BAD_REQUEST', 'the JSON body must be an object')
    }
    return jsonFields(value as Record<string, unknown>)
  }
  throw new PresenceError(
    'UNSUPPORTED_MEDIA_TYPE',
    `content type ${JSON.stringify(type.slice(0, 80))} is not accepted; send application/x-www-form-urlencoded or application/json`,
  )
}

/**
 * Fields from an object a framework already parsed (Express `req.body`).
 * @internal
 */
export function parsedFields(body: Record<string, unknown>): Fields {
  const json = jsonFields(body)
  return {
    ...json,
    indexed(name) {
      // express.urlencoded({ extended: true }) turns channel_name[0] into an array or object.
      const value = json.get(name)
      if (Array.isArray(value)) return value.map(String)
      if (value !== null && typeof value === 'object') {
        return Object.entries(value)
          .filter(([key]) => /^\d+$/.test(key))
          .sort((a, b) => Number(a[0]) - Number(b[0]))
          .map(([, v]) => String(v))
      }
      const flat = Object.keys(body).filter(
        (key) => key.startsWith(`${name}[`) && key.endsWith(']'),
      )
      if (flat.length === 0) return null
      return formFields(new URLSearchParams(flat.map((key) => [key, String(body[key])]))).indexed(
        name,
      )
    },
  }
}
