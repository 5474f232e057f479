/**
 * The signing benchmark as a Worker: `GET /bench?case=<name>&n=<count>`
 * runs one case and answers its checksum; the runner times the requests
 * from outside (inside a Worker the clock only moves on I/O).
 * `GET /cases` lists the cases.
 * @module
 */
import { type BenchCase, benchCases } from './runtimes-cases.js'

let cases: Promise<Record<string, BenchCase>> | undefined

export default {
  async fetch(request: Request): Promise<Response> {
    cases ??= benchCases()
    const all = await cases
    const url = new URL(request.url)
    if (url.pathname === '/cases') return Response.json(Object.keys(all))
    const run = all[url.searchParams.get('case') ?? '']
    if (url.pathname !== '/bench' || !run) return new Response(null, { status: 404 })
    return Response.json(await run(Number(url.searchParams.get('n'))))
  },
}
