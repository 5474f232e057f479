// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ManagedProcess, soketiChannelUsers, startProcess, waitFor } from '@presence/testing'
import { cleanup, render } from '@testing-library/react'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PresenceProvider, useMembers } from './index.js'
import { type Stack, startStack } from './test/stack.js'

// Issue 6, acceptance 2: with 1,000 members (real pusher-js sockets, joined from another
// process through @presence/server), one more member joins: a component selecting `s.count`
// renders once, a component selecting one unrelated member renders zero times.

const CHANNEL = 'presence-room@big'
const MEMBERS = 1000
const here = dirname(fileURLToPath(import.meta.url))

let stack: Stack
let crowd: ManagedProcess | undefined

beforeAll(async () => {
  stack = await startStack({ maxPresenceMembers: MEMBERS + 10 })
  crowd = startProcess(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(here, 'test/members.ts')],
    {
      env: {
        APP_URL: stack.appUrl,
        PUSHER_KEY: stack.soketi.key,
        PUSHER_PORT: String(stack.soketi.port),
        CHANNEL,
        COUNT: String(MEMBERS - 1),
        PREFIX: 'member-',
      },
    },
  )
  const started = crowd
  await waitFor(() => /JOINED/.test(started.output()), {
    // About a minute on a busy 2-core machine: each join is fanned out to every member.
    timeoutMs: 280_000,
    what: `${MEMBERS - 1} members joining`,
  })
  console.info(started.output().trim())
}, 300_000)

afterAll(async () => {
  cleanup()
  await crowd?.stop()
  await stack?.stop()
})

const renders = { count: 0, other: 0 }

function Count() {
  renders.count++
  return <p data-testid="count">{useMembers(CHANNEL, (s) => s.count)}</p>
}

function OneMember() {
  renders.other++
  const m = useMembers(CHANNEL, (s) => s.members.get('member-7'))
  return <p data-testid="member">{m?.id}</p>
}

it('re-renders only the components whose selection changed', async () => {
  const observer = stack.connect('observer')
  const handle = observer.client.subscribe(CHANNEL)
  const view = render(
    <PresenceProvider client={observer.client}>
      <Count />
      <OneMember />
    </PresenceProvider>,
  )
  await waitFor(() => view.getByTestId('count').textContent === String(MEMBERS), {
    timeoutMs: 30_000,
    what: `${MEMBERS} members in the store`,
  })
  expect(view.getByTestId('member').textContent).toBe('member-7')
  expect((await soketiChannelUsers(stack.soketi, CHANNEL)).length).toBe(MEMBERS)

  renders.count = 0
  renders.other = 0
  const late = stack.connect('late-member')
  const lateHandle = late.client.subscribe(CHANNEL)
  await waitFor(() => view.getByTestId('count').textContent === String(MEMBERS + 1), {
    timeoutMs: 10_000,
    what: 'the late member',
  })
  // Let any straggling render land before counting.
  await new Promise((resolve) => setTimeout(resolve, 200))
  expect(renders).toEqual({ count: 1, other: 0 })
  expect(observer.client.members(CHANNEL).getSnapshot().members.has('late-member')).toBe(true)

  lateHandle.release()
  handle.release()
})
