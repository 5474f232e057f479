import type { HttpAnswer } from '../handlers/answer.js'
import { type Endpoint, handle } from '../handlers/endpoint.js'
import type { CoreRequest } from '../handlers/request.js'
import { type EndpointName, endpointOf } from '../handlers/route.js'
import type { Cors } from './cors.js'

/** Everything {@link serve} reads from the server. @internal */
export interface ServeEnv {
  /** The endpoints, by name (see `HANDLER_PATHS`). */
  readonly endpoints: Readonly<Record<EndpointName, Endpoint>>
  /** The answer to a path no endpoint serves (404 `NOT_FOUND`). */
  readonly notFound: HttpAnswer
  /** CORS, or `null` when the option is off. */
  readonly cors: Cors | null
  /** The app's `responseHeaders`. */
  readonly responseHeaders: Readonly<Record<string, string>> | undefined
  /** The app's headers plus the JSON content type and `Cache-Control: no-store`. */
  readonly baseHeaders: Readonly<Record<string, string>>
}

/**
 * The whole path of a request, in order. Every handler of a presence server is this function
 * behind an adapter:
 *
 * 0. adapter: `toFetchHandler` (`http/fetch.ts`, Fetch `Request`), `toNodeHandler`
 *    (`http/node.ts`) or `toExpress` (`http/express.ts`) turns the request into a
 *    {@link CoreRequest} (plain values, body read on demand) and calls `serve`;
 * 1. CORS: a preflight (`OPTIONS`) from an allowed origin is answered here;
 * 2. route: the path's last segment names the endpoint (`presence.handler`), or the endpoint
 *    is fixed (`presence.handlers.auth`, ...);
 * 3. handler (`handlers/endpoint.ts` `handle`): the method check, then the endpoint's steps —
 *    for `auth` and `batch` (`handlers/auth.ts`, `handlers/batch.ts`): read the shape
 *    (socket id and names, checked once), build the `RequestState` once, then per channel
 *    the pipeline (`pipeline/authorize-channel.ts` `authorizeChannel`): match → session →
 *    cache → authorize → sign → answer; a throw is a typed refusal;
 * 4. headers: the app's, JSON and `no-store`, CORS;
 * 5. back in the adapter: the answer is written (`Response`, or `sendAnswer` for Node).
 *
 * @param server - the server's parts.
 * @param request - the request, as plain values.
 * @param fixed - the endpoint of a single-endpoint handler, or `null` to route by path.
 * @returns the answer, with its headers.
 * @internal
 */
export async function serve(
  server: ServeEnv,
  request: CoreRequest,
  fixed: EndpointName | null,
): Promise<HttpAnswer> {
  const { cors } = server
  const origin = cors ? request.headers.get('origin') : null
  if (request.method === 'OPTIONS') {
    const preflight = cors?.preflight(origin) ?? null
    if (preflight)
      return { status: 204, body: '', headers: { ...server.responseHeaders, ...preflight } }
  }
  const name = fixed ?? endpointOf(request.url)
  const answer = name === null ? server.notFound : await handle(server.endpoints[name], request)
  return withHeaders(server, answer, origin)
}

/** Step 4: the app's headers, the JSON and `no-store` headers, the answer's own, CORS. */
function withHeaders(server: ServeEnv, answer: HttpAnswer, origin: string | null): HttpAnswer {
  const { cors, baseHeaders } = server
  if (!answer.headers && !cors)
    return { status: answer.status, body: answer.body, headers: baseHeaders }
  return {
    status: answer.status,
    body: answer.body,
    headers: { ...baseHeaders, ...answer.headers, ...cors?.headers(origin) },
  }
}
