import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { waitFor } from './ports.js'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))

/** Runs `pnpm demo:soketi` from the repository root, in its own process group. */
function startDemo(): { child: ChildProcess; output: () => string } {
  const child = spawn('pnpm', ['demo:soketi'], { cwd: repoRoot, detached: true, stdio: 'pipe' })
  let out = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  return { child, output: () => out }
}

describe('pnpm demo:soketi', () => {
  const demo = startDemo()
  afterAll(() => {
    // The group may already be gone (the test's SIGINT stopped it): ESRCH is the good outcome.
    try {
      if (demo.child.pid) process.kill(-demo.child.pid, 'SIGKILL')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
    }
  })

  it('starts soketi on loopback, prints its address and credentials, and stops it on SIGINT', async () => {
    const url = await waitFor(
      () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(demo.output())?.[1],
      { timeoutMs: 30_000, what: 'the demo to print its address' },
    )
    expect(demo.output()).toMatch(/key:\s+app-key/)
    expect(demo.output()).toMatch(/secret:\s+app-secret/)
    expect((await fetch(`${url}/`)).ok).toBe(true)

    // Ctrl-C in a terminal signals the whole foreground group: pnpm and the demo under it.
    if (demo.child.pid) process.kill(-demo.child.pid, 'SIGINT')
    await waitFor(() => demo.output().includes('stopped.'), {
      timeoutMs: 15_000,
      what: 'the demo to stop soketi',
    })
    await expect(fetch(`${url}/`)).rejects.toThrow()
  })
})
