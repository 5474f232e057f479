/**
 * Member store benchmark (not a test): 10,000 `member_added` then 10,000
 * `member_removed` on one channel, reading a snapshot after every event the
 * way a `useSyncExternalStore` selector would (`getSnapshot()`, `count`,
 * `members.get(id)`).
 *
 * Reports the cost per event around 100, 1,000 and 10,000 members for the
 * client's store and, measured in the same run, for a baseline that copies
 * the map on every event (`new Map(previous)`: what a naive immutable store does).
 *
 * Run: `pnpm --filter @presence/reliability bench:members` (or `pnpm bench --only members`)
 */
import { performance } from 'node:perf_hooks'
// The store is internal to @presence/client (not exported): read from its source.
import { createMemberStore } from '../../client/src/member-store.js'

interface Store {
  add(id: string, info: unknown): void
  remove(id: string): void
  read(id: string): unknown
}

const TOTAL = 10_000
const WINDOW = 100
const SIZES = [100, 1_000, 10_000]
const ROUNDS = Number(process.env.ROUNDS ?? 15)

function ours(): Store {
  const store = createMemberStore(() => {})
  store.replace({ each() {}, myID: 'u0' })
  return {
    add: (id, info) => store.add(id, info),
    remove: (id) => store.remove(id),
    read: (id) => {
      const snapshot = store.getSnapshot()
      return snapshot.count + (snapshot.members.get(id) ? 1 : 0)
    },
  }
}

function copyOnWrite(): Store {
  let snapshot = { members: new Map<string, { id: string; info: unknown }>(), count: 0 }
  return {
    add(id, info) {
      const members = new Map(snapshot.members).set(id, { id, info })
      snapshot = { members, count: members.size }
    },
    remove(id) {
      const members = new Map(snapshot.members)
      members.delete(id)
      snapshot = { members, count: members.size }
    },
    read: (id) => snapshot.count + (snapshot.members.get(id) ? 1 : 0),
  }
}

/** ns per event for the WINDOW adds reaching each size, and the WINDOW removals leaving it. */
function run(make: () => Store) {
  const store = make()
  const ids = Array.from({ length: TOTAL }, (_, index) => `user-${index}`)
  const add = new Map<number, number>()
  const remove = new Map<number, number>()
  let sink = 0
  let windowStart = performance.now()
  for (let index = 0; index < TOTAL; index++) {
    const id = ids[index] as string
    store.add(id, { name: id })
    sink += store.read(id) as number
    const size = index + 1
    if (SIZES.includes(size)) add.set(size, ((performance.now() - windowStart) * 1e6) / WINDOW)
    if (SIZES.includes(size + WINDOW)) windowStart = performance.now()
  }
  // Remove the newest first, so the size goes 10,000 → 0 through each measured size.
  for (let size = TOTAL; size > 0; size--) {
    if (SIZES.includes(size)) windowStart = performance.now()
    const id = ids[size - 1] as string
    store.remove(id)
    sink += store.read(id) as number
    const from = size + WINDOW - 1
    if (SIZES.includes(from)) remove.set(from, ((performance.now() - windowStart) * 1e6) / WINDOW)
  }
  if (sink < 0) console.log(sink)
  return { add, remove }
}

function median(values: number[]) {
  const sorted = [...values].sort((left, right) => left - right)
  return sorted[Math.floor(sorted.length / 2)] as number
}

function measure(make: () => Store, roundCount = ROUNDS) {
  const rounds = Array.from({ length: roundCount }, () => run(make))
  const pick = (phase: 'add' | 'remove', size: number) =>
    median(rounds.map((round) => round[phase].get(size) ?? Number.NaN))
  return Object.fromEntries(
    SIZES.map((size) => [size, { add: pick('add', size), remove: pick('remove', size) }]),
  ) as Record<number, { add: number; remove: number }>
}

// Warm up both implementations, then measure them in the same process.
run(ours)
run(copyOnWrite)
const oursBySize = measure(ours)
const baselineBySize = measure(copyOnWrite, 3)

const fmt = (ns: number) => (ns >= 1000 ? `${(ns / 1000).toFixed(1)} µs` : `${ns.toFixed(0)} ns`)
console.log(
  `member store, ns per event incl. a snapshot read (median of ${ROUNDS} rounds, baseline 3, Node ${process.version})`,
)
console.log(
  '| members | @presence/client add | remove | copy-on-write add | remove | ratio (copy / ours) |',
)
console.log('|---:|---:|---:|---:|---:|---:|')
for (const size of SIZES) {
  const mine = oursBySize[size] as { add: number; remove: number }
  const baseline = baselineBySize[size] as { add: number; remove: number }
  const ratio = (baseline.add + baseline.remove) / (mine.add + mine.remove)
  console.log(
    `| ${size.toLocaleString('en')} | ${fmt(mine.add)} | ${fmt(mine.remove)} | ${fmt(baseline.add)} | ${fmt(baseline.remove)} | ${ratio.toFixed(0)}× |`,
  )
}
const flat =
  ((oursBySize[10_000]?.add ?? 0) + (oursBySize[10_000]?.remove ?? 0)) /
  ((oursBySize[100]?.add ?? 1) + (oursBySize[100]?.remove ?? 1))
console.log(
  `@presence/client cost at 10,000 members / at 100 members: ${flat.toFixed(2)}× (flat ≈ 1)`,
)
