/**
 * Signing: `signChannel` vs raw `createHmac` vs `pusher.authorizeChannel`,
 * alternated rounds in one process, median ops/s of each.
 */
import { createHmac } from 'node:crypto'
import { createSigner } from '@presence/server'
import Pusher from 'pusher'
import { fmt, median, type Section } from './report.js'
import { fmtSpread, spread } from './stats.js'

const key = 'app-key'
const secret = 'app-secret-0123456789abcdef'

export async function benchSigning(rounds = 7, iterations = 200_000): Promise<Section> {
  const signer = createSigner({ key, secret })
  const pusher = new Pusher({ appId: '1', key, secret, cluster: 'mt1' })
  const member = { user_id: 'user-42', user_info: { name: 'Ada Lovelace' } }
  const socket = (i: number) => `${1000 + (i & 255)}.${i & 4095}`
  const cases = {
    'raw createHmac': (i: number) => {
      const data = JSON.stringify(member)
      return `${key}:${createHmac('sha256', secret)
        .update(`${socket(i)}:presence-room@${i & 1023}:${data}`)
        .digest('hex')}`
    },
    signChannel: (i: number) =>
      (signer.signChannel(socket(i), `presence-room@${i & 1023}`, member) as { auth: string }).auth,
    'pusher.authorizeChannel': (i: number) =>
      pusher.authorizeChannel(socket(i), `presence-room@${i & 1023}`, member).auth,
  }
  const samples: Record<string, number[]> = Object.fromEntries(
    Object.keys(cases).map((k) => [k, []]),
  )
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(cases)) {
      let sink = 0
      const start = process.hrtime.bigint()
      for (let i = 0; i < iterations; i++) sink ^= run(i).length
      const ns = Number(process.hrtime.bigint() - start)
      if (sink === -1) console.log(sink)
      if (r > 0) samples[name]!.push((iterations / ns) * 1e9) // round 0 is warm-up
    }
  }
  const ops = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<
    keyof typeof cases,
    number
  >
  const vsRaw = ops['raw createHmac'] / ops.signChannel
  const vsPusher = ops.signChannel / ops['pusher.authorizeChannel']
  return {
    title: 'Signing a presence channel',
    command: 'pnpm bench --only signing',
    method: `${rounds - 1} alternated rounds of ${fmt(iterations)} signatures each (after one warm-up round), median ops/s with the interquartile range (IQR) of the rounds; presence channel with \`channel_data\`, node:crypto HMAC.`,
    table: [
      ['signer', 'ops/s (median, IQR)', 'time vs raw createHmac'],
      ...Object.entries(ops).map(([name, v]) => [
        name,
        fmtSpread(spread(samples[name]!), 0),
        `${(ops['raw createHmac'] / v).toFixed(2)}×`,
      ]),
    ],
    goals: [
      {
        name: '`signChannel` vs raw `createHmac`',
        target: '≤ 1.1× the time',
        measured: `${vsRaw.toFixed(2)}×`,
        met: vsRaw <= 1.1,
      },
      {
        name: '`signChannel` vs `pusher.authorizeChannel`',
        target: 'faster (> 1.0× the throughput)',
        measured: `${vsPusher.toFixed(2)}× the throughput`,
        met: vsPusher > 1,
      },
    ],
  }
}
