import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { getFreePort } from '@presence/testing'
import express from 'express'
import type Pusher from 'pusher'
import { type SignedIn, signIn } from '../client/sign-in.js'
import { type Backend, createBackend } from '../server/app.js'
import { DEMO, type DemoIds } from '../server/demo-data.js'
import { type LoggedRequest, requestLog } from './request-log.js'

/** A demo-mode backend on loopback for the tests, with what they look at around it. */
export interface TestBackend {
  backend: Backend
  /** The demo's user and organization ids. */
  ids: DemoIds
  url: string
  /** Every request answered so far, oldest first (recorded by a middleware in front of the app). */
  requests: LoggedRequest[]
  /**
   * Signs a demo user in over HTTP, as a client would; `organization: true` makes Acme the
   * session's active organization. Each call is a new better-auth session.
   */
  signIn(user: keyof typeof DEMO.users, options?: { organization?: boolean }): Promise<SignedIn>
  close(): Promise<void>
}

/**
 * Starts the backend in demo mode on a free loopback port, behind a request log: the log is the
 * tests' own middleware in front of the app, not part of it.
 *
 * @param options - the Pusher-protocol server, and `debug` (default `true`)
 */
export async function startTestBackend(options: {
  pusher: Pusher.Options
  debug?: boolean
}): Promise<TestBackend> {
  const port = await getFreePort()
  const url = `http://127.0.0.1:${port}`
  const backend = await createBackend({
    pusher: options.pusher,
    authSecret: randomBytes(32).toString('base64url'),
    baseURL: url,
    demo: true,
    debug: options.debug ?? true,
  })
  const ids = backend.demo
  if (!ids) throw new Error('demo mode created no demo data')
  const requests: LoggedRequest[] = []
  const outer = express()
  outer.use(requestLog(requests))
  outer.use(backend.app)
  const server = createServer(outer)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  return {
    backend,
    ids,
    url,
    requests,
    signIn: (user, signInOptions = {}) =>
      signIn(
        url,
        { email: DEMO.users[user].email, password: DEMO.password },
        signInOptions.organization ? ids.organization : undefined,
      ),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => {
          backend.close()
          if (error) reject(error)
          else resolve()
        })
      }),
  }
}
