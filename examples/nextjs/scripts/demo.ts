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
  process.exit(code)
}

process.on('SIGINT', () => void shutdown(0))
process.on('SIGTERM', () => void shutdown(0))

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

  Ctrl-C stops everything.
`)
}

main().catch(async (error: unknown) => {
  console.error(error)
  await shutdown(1)
})
