/**
 * the scale-out recipe runs here. Starts `scripts/cluster.ts` as a user
 * would (`pnpm --filter @presence/example-express cluster`), reads the printed
 * addresses, joins one presence channel from both nodes, then presses Ctrl-C
 * (SIGINT) and checks that everything it started is gone.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPresenceClient, type PresenceClient } from '@presence/client'
import { type ManagedProcess, startProcess, waitFor } from '@presence/testing'
import { afterAll, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
let cluster: ManagedProcess | undefined
const clients: PresenceClient[] = []

afterAll(async () => {
  for (const client of clients) client.destroy()
  await cluster?.stop()
})

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) })
    return false
  } catch {
    return true
  }
}

// Five processes start on a shared machine: allow minutes, not the default minute.
it('starts redis, two soketi nodes and two app instances, serves both, and stops on Ctrl-C', {
  timeout: 240_000,
}, async () => {
  cluster = startProcess(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(root, 'scripts/cluster.ts')],
    { cwd: root },
  )
  const proc = cluster
  const output = await Promise.race([
    waitFor(() => (proc.output().includes('Ctrl-C stops everything.') ? proc.output() : null), {
      timeoutMs: 90_000,
      what: 'the cluster to print its addresses',
    }),
    proc.exited.then((code) => {
      throw new Error(`cluster.ts exited (code ${code}):\n${proc.output()}`)
    }),
  ])
  const nodes = [
    ...output.matchAll(/node (\w): soketi ws:\/\/127\.0\.0\.1:(\d+)\s+app (http:\S+)/g),
  ].map((m) => ({ name: m[1]!, soketiPort: Number(m[2]), appUrl: m[3]! }))
  expect(nodes.map((n) => n.name)).toEqual(['a', 'b'])

  const channel = 'presence-stream@42'
  const users = [
    { token: 'token-bob', id: '2' },
    { token: 'token-carol', id: '3' },
  ]
  // One after the other: soketi's Redis adapter builds a joiner's member list by asking
  // the other nodes, so two joins racing on two nodes can miss each other (a soketi limit).
  for (const [i, node] of nodes.entries()) {
    const client = createPresenceClient({
      pusher: {
        key: 'app-key',
        wsHost: '127.0.0.1',
        wsPort: node.soketiPort,
        forceTLS: false,
        enabledTransports: ['ws'],
        disableStats: true,
        cluster: 'local',
      },
      auth: {
        endpoint: `${node.appUrl}/pusher/auth`,
        batchEndpoint: `${node.appUrl}/pusher/batch-authenticate`,
        headers: { Authorization: `Bearer ${users[i]!.token}` },
      },
      user: { id: users[i]!.id },
    })
    clients.push(client)
    client.subscribe(channel)
    await waitFor(() => client.members(channel).getSnapshot().status === 'subscribed', {
      timeoutMs: 30_000,
      what: `user ${users[i]!.id} subscribed on node ${node.name}`,
    })
  }
  for (const client of clients) {
    await waitFor(() => client.members(channel).getSnapshot().count === 2, {
      timeoutMs: 30_000,
      what: 'both members seen from both nodes',
    })
  }
  for (const client of clients) client.destroy()
  clients.length = 0

  proc.child.kill('SIGINT')
  expect(await proc.exited).toBe(0)
  for (const node of nodes) {
    expect(await refused(node.appUrl)).toBe(true)
    expect(await refused(`http://127.0.0.1:${node.soketiPort}`)).toBe(true)
  }
})
