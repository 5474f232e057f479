/**
 * The page of the shared-tabs browser tests, bundled by esbuild: `window.tabs.start(...)`
 * creates a client from `@presence/client/tabs` and the helpers below drive and read it.
 */

import type { PresenceClientOptions } from '../src/options.js'
import { createPresenceClient } from '../src/tabs/index.js'
import type { PresenceClient } from '../src/types.js'

/** What a page reports about one channel. */
export interface TabChannelView {
  status: string
  ids: string[]
  me: string | null
}

let client: PresenceClient | undefined
const handles = new Map<string, Array<{ release(): void }>>()
/** Events received by `on()` handlers, in order: `[channel, event, data]`. */
const events: Array<[string, string, unknown]> = []
/** When `watchPresence`'s member was missing, and the channel's status then. */
const absences: Array<[number, string]> = []
/** When this tab last took the lead (`Date.now()`), if it did. */
let ledAt: number | null = null

const api = {
  start(options: Pick<PresenceClientOptions, 'pusher' | 'auth' | 'user' | 'tabs'>) {
    client = createPresenceClient(options)
    const { tabs } = client
    tabs.subscribe(() => {
      if (tabs.getSnapshot().role === 'leader') ledAt = Date.now()
    })
    if (tabs.getSnapshot().role === 'leader') ledAt = Date.now()
  },
  subscribe(...names: string[]) {
    for (const name of names) {
      const list = handles.get(name) ?? []
      list.push(client!.subscribe(name))
      handles.set(name, list)
    }
  },
  /** Subscribes `names` and resolves with the ms until every one is `subscribed`. */
  timeToSubscribed(...names: string[]): Promise<number> {
    const started = performance.now()
    api.subscribe(...names)
    return new Promise((resolve) => {
      const check = () => {
        if (names.every((name) => client!.members(name).getSnapshot().status === 'subscribed')) {
          clearInterval(timer)
          resolve(performance.now() - started)
        }
      }
      const timer = setInterval(check, 2)
      check()
    })
  },
  release(name: string) {
    handles.get(name)?.pop()?.release()
  },
  listen(name: string, event: string) {
    client!.on(name, event, (data) => events.push([name, event, data]))
  },
  events: () => events,
  view(name: string): TabChannelView {
    const { status, members, me } = client!.members(name).getSnapshot()
    return { status, ids: [...members.keys()].sort(), me: me?.id ?? null }
  },
  role: () => client!.tabs.getSnapshot().role,
  ledAt: () => ledAt,
  connection: () => client!.connection.getSnapshot(),
  online: () => [...client!.online.getSnapshot()].sort(),
  user: () => client!.user.getSnapshot()?.id ?? null,
  setUser(id: string | null) {
    client!.setUser(id === null ? null : { id })
  },
  pusherError() {
    try {
      void client!.pusher
      return null
    } catch (error) {
      return (error as { code: string }).code
    }
  },
  destroy: () => client!.destroy(),
  /** Samples every 5 ms whether `id` is a member of `name`; `absences()` lists the misses. */
  watchPresence(name: string, id: string) {
    setInterval(() => {
      const { status, members } = client!.members(name).getSnapshot()
      if (!members.has(id)) absences.push([Date.now(), status])
    }, 5)
  },
  absences: () => absences,
  updateMyState(name: string, patch: Record<string, unknown>) {
    client!.updateMyState(name, patch)
  },
  whisper(name: string, event: string, data: unknown) {
    client!.whisper(name, event, data)
  },
  /** Every member's live state on `name`, by id. */
  states(name: string): Record<string, unknown> {
    const { members } = client!.members(name).getSnapshot()
    return Object.fromEntries([...members.values()].map((member) => [member.id, member.state]))
  },
}

export type TabsPageApi = typeof api
Object.assign(window, { tabs: api })
