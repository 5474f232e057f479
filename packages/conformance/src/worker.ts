/**
 * The conformance entry for Cloudflare workerd: a Worker whose `fetch`
 * runs the suite inside a request (where workerd allows I/O and timers) and
 * answers the result as JSON.
 * @module
 */
import { conformanceCases } from './cases.js'
import type { Fixture } from './fixture.js'
import { runCases } from './harness.js'

declare const __CONFORMANCE_FIXTURE__: Fixture

export default {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname !== '/run') return new Response(null, { status: 404 })
    const fixture = __CONFORMANCE_FIXTURE__
    const result = await runCases(fixture.runtime.name, '', conformanceCases(fixture))
    return Response.json(result)
  },
}
