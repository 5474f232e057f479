import type { AddressInfo } from 'node:net'
import { connect, createServer, type Server, type Socket } from 'node:net'

/** A loopback TCP proxy in front of the websocket server, whose connections can be cut. */
export interface BlipProxy {
  /** The proxy's port: give it to pusher-js as `wsPort`. */
  readonly port: number
  /**
   * Cuts every open connection and refuses new ones for `ms` milliseconds: a network blip
   * as the client sees it (the server sees the socket close at once).
   */
  blip(ms: number): Promise<void>
  close(): Promise<void>
}

/**
 * Starts a proxy from a free loopback port to `targetPort` on 127.0.0.1.
 *
 * @param targetPort - the websocket server's port.
 * @returns the running proxy.
 */
export async function startBlipProxy(targetPort: number): Promise<BlipProxy> {
  const open = new Set<Socket>()
  let refusing = false
  const server: Server = createServer((client) => {
    if (refusing) return void client.destroy()
    const upstream = connect(targetPort, '127.0.0.1')
    open.add(client)
    open.add(upstream)
    const drop = () => {
      for (const socket of [client, upstream]) {
        open.delete(socket)
        socket.destroy()
      }
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    async blip(ms) {
      refusing = true
      for (const socket of [...open]) socket.destroy()
      await new Promise((resolve) => setTimeout(resolve, ms))
      refusing = false
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of [...open]) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
