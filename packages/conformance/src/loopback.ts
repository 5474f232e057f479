/**
 * Loopback helpers of the runner (Node side): a free port, and the JWKS
 * endpoint the `bearerJwt` cases fetch from every runtime.
 * @module
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A port nobody listens on right now (bound then released). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A JWKS served on loopback, with the number of fetches it answered. */
export interface JwksServer {
  url: string
  fetches: () => number
  close(): Promise<void>
}

/**
 * Serves `jwks` at `http://127.0.0.1:<port>/.well-known/jwks.json`.
 * @param jwks - the key set.
 */
export async function serveJwks(jwks: object): Promise<JwksServer> {
  let fetches = 0
  const body = JSON.stringify(jwks)
  const server: Server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end()
      return
    }
    fetches++
    response.writeHead(200, { 'content-type': 'application/json' }).end(body)
  })
  server.keepAliveTimeout = 500
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    fetches: () => fetches,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
