import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RUNTIMES } from './runtimes.js'

// The runtime × feature table of docs/runtimes.md states what this package pins and expects:
// a ✓ for node:crypto or redisCache must match what the suite asserts on that runtime.
const doc = readFileSync(new URL('../../../docs/runtimes.md', import.meta.url), 'utf8')
const rows = doc
  .split('\n')
  .filter(
    (line) => line.startsWith('| ') && !line.startsWith('| runtime') && !line.startsWith('| ---'),
  )
  .map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  )
const header = doc
  .split('\n')
  .find((line) => line.startsWith('| runtime'))!
  .split('|')
  .slice(1, -1)
  .map((cell) => cell.trim())
const column = (name: string) => header.indexOf(name)

const labels: Record<string, RegExp> = {
  node20: /^Node 20 /,
  node22: /^Node 22 /,
  node24: /^Node 24 /,
  bun: /^Bun /,
  deno: /^Deno /,
  workerd: /^Cloudflare workerd \(/,
  'workerd-nodejs-compat': /^Cloudflare workerd \+ `nodejs_compat` /,
}

describe('docs/runtimes.md agrees with the pinned runtimes and their expectations', () => {
  it.each(RUNTIMES.map((r) => [r.name, r] as const))('%s', (name, runtime) => {
    const row = rows.find((cells) => labels[name]!.test(cells[0]!))
    expect(row, `a row for ${name}`).toBeDefined()
    if (runtime.npm) expect(row![0]).toContain(`(${runtime.npm.split('@')[1]}`)
    expect(row![column('`node:crypto` signing')]!.startsWith('✓')).toBe(runtime.nodeCrypto)
    expect(row![column('`redisCache`')]!.startsWith('✓')).toBe(runtime.redis)
    expect(row![column('signing engine by default')]).toBe(
      runtime.nodeCrypto ? '`node:crypto`' : 'Web Crypto',
    )
  })
})
