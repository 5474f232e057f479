/**
 * Benchmark (not a test): signChannel against a raw createHmac and against
 * pusher.authorizeChannel, measured in the same run with alternated rounds.
 *
 * Run: pnpm --filter @presence/server bench:sign
 */
import { createHmac } from 'node:crypto'
import Pusher from 'pusher'
import { createSigner } from '../src/signer/signer.js'

const key = 'app-key'
const secret = 'app-secret-0123456789abcdef'
const signer = createSigner({ key, secret })
const pusher = new Pusher({ appId: '1', key, secret, cluster: 'mt1' })
const member = {
  user_id: 'user-42',
  user_info: { name: 'Ada Lovelace', avatar: 'https://example.com/a.png' },
}

type Case = { name: string; run: (i: number) => unknown }

const channel = (i: number) => `private-stream@${i & 1023}`
const socket = (i: number) => `${1000 + (i & 255)}.${i & 4095}`

const cases = {
  private: [
    {
      name: 'raw createHmac',
      run: (i: number) => ({
        auth: `${key}:${createHmac('sha256', secret)
          .update(`${socket(i)}:${channel(i)}`)
          .digest('hex')}`,
      }),
    },
    { name: 'signChannel', run: (i: number) => signer.signChannel(socket(i), channel(i)) },
    {
      name: 'pusher.authorizeChannel',
      run: (i: number) => pusher.authorizeChannel(socket(i), channel(i)),
    },
  ],
  presence: [
    {
      name: 'raw createHmac',
      run: (i: number) => {
        const data = JSON.stringify(member)
        const name = `presence-room@${i & 1023}`
        return {
          channel_data: data,
          auth: `${key}:${createHmac('sha256', secret)
            .update(`${socket(i)}:${name}:${data}`)
            .digest('hex')}`,
        }
      },
    },
    {
      name: 'signChannel',
      run: (i: number) => signer.signChannel(socket(i), `presence-room@${i & 1023}`, member),
    },
    {
      name: 'pusher.authorizeChannel',
      run: (i: number) => pusher.authorizeChannel(socket(i), `presence-room@${i & 1023}`, member),
    },
  ],
} satisfies Record<string, Case[]>

function opsPerSecond(run: Case['run'], iterations: number): number {
  let sink = 0
  // CPU time of this process, so other processes on a shared machine do not count.
  const started = process.cpuUsage()
  for (let i = 0; i < iterations; i++) sink ^= (run(i) as { auth: string }).auth.length
  const used = process.cpuUsage(started)
  if (sink === -1) console.log(sink)
  return (iterations / (used.user + used.system)) * 1e6
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const ROUNDS = Number(process.env.ROUNDS ?? 31)
const ITERATIONS = Number(process.env.ITERATIONS ?? 30_000)

for (const [label, list] of Object.entries(cases)) {
  for (const item of list) opsPerSecond(item.run, 20_000) // warm up
  const samples = new Map<string, number[]>(list.map((item) => [item.name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate the order every round so drift hits every case alike.
    const order = round % 2 === 0 ? list : [...list].reverse()
    for (const item of order) samples.get(item.name)!.push(opsPerSecond(item.run, ITERATIONS))
  }
  const raw = median(samples.get('raw createHmac')!)
  const ours = median(samples.get('signChannel')!)
  const theirs = median(samples.get('pusher.authorizeChannel')!)
  console.log(`\n${label} channel (${ROUNDS} alternated rounds × ${ITERATIONS} signatures, median)`)
  for (const [name, values] of samples)
    console.log(`  ${name.padEnd(24)} ${Math.round(median(values)).toLocaleString('en')} ops/s`)
  console.log(
    `  signChannel time vs raw createHmac:        ${(raw / ours).toFixed(3)}× (goal ≤ 1.1×)`,
  )
  console.log(
    `  signChannel speed vs pusher.authorizeChannel: ${(ours / theirs).toFixed(3)}× (goal > 1×)`,
  )
}
