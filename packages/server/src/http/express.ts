/**
 * `@presence/server/express`: mount a presence handler on Express 5.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { payloadTooLarge } from '../handlers/request.js'
import type { FetchHandler } from './fetch.js'
import {
  coreOf,
  fetchRequestFromNode,
  INTERNAL_ANSWER,
  NodeRequest,
  readNodeBody,
  sendAnswer,
  sendFetchResponse,
} from './node-request.js'

/** The parts of an Express request the adapter reads (an `IncomingMessage` plus `body`). */
export type ExpressRequestLike = IncomingMessage & { body?: unknown }

/** An Express middleware. */
export type ExpressHandler = (
  request: ExpressRequestLike,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => Promise<void>

/** The body reader of a request whose body a framework already parsed into an object. */
const readNothing = async (): Promise<string> => ''

function bodyReader(request: ExpressRequestLike): {
  read?: (maxBytes: number, timeoutMs?: number) => Promise<string>
  parsed?: Record<string, unknown>
} {
  const { body } = request
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8')
    return {
      read: async (maxBytes) => {
        if (Buffer.byteLength(text) > maxBytes) throw payloadTooLarge(maxBytes)
        return text
      },
    }
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    return { read: readNothing, parsed: body as Record<string, unknown> }
  }
  return {}
}

/**
 * Adapts a presence handler to Express 5. The adapter reads the raw body
 * itself; when a body parser already ran it uses `req.body` instead (an
 * object from `express.json()` / `express.urlencoded()`, a string from
 * `express.text()`, a Buffer from `express.raw()`). Session adapters get
 * the Express request as `request.raw` (for `expressUser`).
 *
 * @param handler - e.g. `presence.handlers.auth`.
 * @returns an Express middleware.
 * @example
 * ```ts
 * import express from 'express'
 * import { toExpress } from '@presence/server/express'
 *
 * const app = express()
 * app.post('/pusher/auth', toExpress(presence.handlers.auth))
 * app.all('/pusher/batch-authenticate', toExpress(presence.handlers.batch))
 * ```
 */
export function toExpress(handler: FetchHandler): ExpressHandler {
  const core = coreOf(handler)
  return async (request, response, next) => {
    try {
      const { read, parsed } = bodyReader(request)
      if (core) {
        sendAnswer(response, await core(new NodeRequest(request, read, parsed)))
        return
      }
      const text = parsed
        ? JSON.stringify(parsed)
        : await (read ?? ((max: number) => readNodeBody(request, max)))(Number.POSITIVE_INFINITY)
      await sendFetchResponse(response, await handler(fetchRequestFromNode(request, text)))
    } catch (error) {
      if (next) next(error)
      else if (!response.headersSent) sendAnswer(response, INTERNAL_ANSWER)
    }
  }
}
