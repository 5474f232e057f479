/**
 * Member store: per-event cost at 100 / 1,000 / 10,000 members. Runs the
 * member store benchmark (./member-store.ts) in a child
 * process and reads its table, so there is one implementation of it.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Section } from './report.js'

const script = fileURLToPath(new URL('./member-store.ts', import.meta.url))

export async function benchMembers(): Promise<Section> {
  const out = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
    encoding: 'utf8',
    env: { ...process.env, ROUNDS: process.env.ROUNDS ?? '15' },
  })
  const rows = out
    .split('\n')
    .filter((l) => l.startsWith('|') && !l.startsWith('|---'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    )
  const flatMatch = /members \/ at 100 members: ([\d.]+)×/.exec(out)
  if (!flatMatch || rows.length < 4) throw new Error(`unexpected output of ${script}:\n${out}`)
  const flat = Number(flatMatch[1])
  return {
    title: 'Member store: cost per event as the channel grows',
    command: 'pnpm bench --only members',
    method: `${out.split('\n')[0]}. 10,000 \`member_added\` then 10,000 \`member_removed\` on one channel, reading a snapshot after each event (\`getSnapshot()\`, \`count\`, \`members.get(id)\`); cost measured over the 100 events around each size. The baseline copies the map on every event (what a naive immutable store does).`,
    table: rows,
    goals: [
      {
        name: 'member store cost flat in channel size',
        target: 'cost at 10,000 members ≈ cost at 100 (≤ 2×)',
        measured: `${flat.toFixed(2)}×`,
        met: flat <= 2,
      },
    ],
  }
}
