import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sleep } from '@presence/testing'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes an exclusive lock between processes on this machine (an atomic
 * `mkdir` holding the owner's pid); a lock whose owner died is taken over.
 * `next build` rewrites `.next` while `next start` serves from it, so two
 * test runs or demos must not overlap on one checkout.
 *
 * @param dir - the lock directory.
 * @param options - how long to wait, and a callback when waiting starts.
 * @returns a function that releases the lock.
 */
export async function acquireLock(
  dir: string,
  { timeoutMs = 900_000, onWait }: { timeoutMs?: number; onWait?: (owner: number) => void } = {},
): Promise<() => void> {
  const deadline = Date.now() + timeoutMs
  const ownerFile = join(dir, 'pid')
  let announced = false
  for (;;) {
    try {
      mkdirSync(dir)
      writeFileSync(ownerFile, String(process.pid))
      return () => rmSync(dir, { recursive: true, force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    let owner = Number.NaN
    try {
      owner = Number(readFileSync(ownerFile, 'utf8'))
    } catch {
      // the owner is between mkdir and writing its pid
    }
    if (Number.isInteger(owner) && !alive(owner)) {
      rmSync(dir, { recursive: true, force: true })
      continue
    }
    if (!announced && Number.isInteger(owner)) {
      announced = true
      onWait?.(owner)
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for the lock ${dir} (pid ${owner})`)
    await sleep(500)
  }
}
