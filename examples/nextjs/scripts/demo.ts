/**
 * `pnpm demo`: soketi on loopback, the Next.js app (built when needed), and two
 * simulated users signed in from Node so presence is visible at once.
 * Ctrl-C stops everything it started.
 */
import { DEMO_PASSWORD, DEMO_USERS } from '../lib/demo-users'
import { buildNeeded } from './build'
import { type SimulatedUser, simulateUser } from './simulated-user'
import { type Stack, startStack } from './stack'

const simulatedEmails = ['alan@example.com', 'katherine@example.com']

let stack: Stack | undefined
const simulated: SimulatedUser[] = []
let stopping = false

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true
    console.log('\nStopping the simulated users, the app and soketi…')
    for (const user of simulated) user.stop()
    await stack?.stop()
  }
  if (process.stdin.isTTY) process.stdin.setRawMode(false)
  process.exit(code)
}

/**
 * In a terminal, Ctrl-C (or `q`) is read as a key instead of arriving as SIGINT. SIGINT from the
 * terminal goes to every process of the foreground group, pnpm included, and pnpm then reports
 * exit code 130 and an `ELIFECYCLE` line whatever the demo does. Read as a key, only the demo
 * sees it: it stops everything it started and exits 0, and so does `pnpm demo`.
 */
function stopOnKeys(): void {
  if (!process.stdin.isTTY) return
  process.stdin.setRawMode(true)
  process.stdin.on('data', (chunk: Buffer) => {
    const key = chunk.toString('utf8')
    if (key === '\u0003' || key === 'q') void shutdown(0)
  })
}

process.on('SIGINT', () => void shutdown(0))
process.on('SIGTERM', () => void shutdown(0))
stopOnKeys()

async function main() {
  const reason = buildNeeded()
  if (reason) console.log(`The app will be built first (${reason}): next build`)
  stack = await startStack({ log: (message) => process.stdout.write(message) })
  for (const email of simulatedEmails) {
    simulated.push(await simulateUser(stack.url, stack.soketi, email, DEMO_PASSWORD))
  }
  const others = DEMO_USERS.filter((user) => !simulatedEmails.includes(user.email))
  console.log(`
  Messenger presence demo

  App:      ${stack.url}
  soketi:   ws://127.0.0.1:${stack.soketi.port} (app key "${stack.soketi.key}")

  Online now (simulated from Node): ${simulatedEmails.join(', ')}
  Sign in as: ${others.map((user) => user.email).join(' or ')}
  Password:   ${DEMO_PASSWORD}

  Open the app in two browser windows (one private) to see both badges.
  Signed out, "Try to subscribe anyway" shows the server refusing to sign.

  Ctrl-C (or q) stops everything.
`)
}

main().catch(async (error: unknown) => {
  console.error(error)
  await shutdown(1)
})
