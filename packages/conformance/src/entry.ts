/**
 * The conformance entry for runtimes that run a script (Node, Bun, Deno):
 * bundled by the runner with the fixture inlined, prints one result line.
 * @module
 */
import { conformanceCases } from './cases.js'
import type { Fixture } from './fixture.js'
import { runCases } from './harness.js'
import { redisCases } from './redis-cases.js'

declare const __CONFORMANCE_FIXTURE__: Fixture

const fixture = __CONFORMANCE_FIXTURE__
const cases = conformanceCases(fixture)
if (fixture.redisUrl !== null) cases.push(...redisCases(fixture.redisUrl))
const result = await runCases(fixture.runtime.name, '', cases)
console.log(`CONFORMANCE_RESULT ${JSON.stringify(result)}`)
