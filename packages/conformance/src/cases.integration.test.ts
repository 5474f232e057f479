import { afterAll, describe, expect, it } from 'vitest'
import { conformanceCases } from './cases.js'
import { createFixture, createJwksMaterial } from './fixture.js'
import { freePort, serveJwks } from './loopback.js'

// The conformance cases on the Node running vitest, one test each, so they
// count in the suite on every Node version CI runs vitest with. The other
// runtimes run the same cases through `pnpm conformance`.
const material = await createJwksMaterial()
const jwks = await serveJwks(material.jwks)
const fixture = await createFixture(
  { name: `node${process.versions.node.split('.')[0]}`, nodeCrypto: true },
  { jwksUrl: jwks.url, unreachableJwksUrl: `http://127.0.0.1:${await freePort()}/jwks.json` },
  material,
)

afterAll(async () => {
  await jwks.close()
})

describe('conformance cases on this Node', () => {
  for (const item of conformanceCases(fixture)) it(item.name, () => item.run())

  it('fetched the JWKS from loopback', () => {
    expect(jwks.fetches()).toBeGreaterThan(0)
  })
})
