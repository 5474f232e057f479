/**
 * The conformance entry for Cloudflare workerd: a Worker whose `fetch`
 * runs the suite inside a request (where workerd allows I/O and timers) and
 * answers the result as JSON, and serves `handlers.auth` at `/pusher/auth`.
 * @module
 */
import { conformanceCases, server } from './cases.js'
import type { Fixture } from './fixture.js'
import { runCases } from './harness.js'

declare const __CONFORMANCE_FIXTURE__: Fixture

export default {
  async fetch(request: Request): Promise<Response> {
    const fixture = __CONFORMANCE_FIXTURE__
    // The handler as a Worker serves it: the runner posts here over real HTTP.
    if (new URL(request.url).pathname === '/pusher/auth')
      return server(fixture).handlers.auth(request)
    if (new URL(request.url).pathname !== '/run') return new Response(null, { status: 404 })
    const result = await runCases(fixture.runtime.name, '', conformanceCases(fixture))
    return Response.json(result)
  },
}
