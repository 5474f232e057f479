import { type ChannelHandlers, createChannelHandlers } from '../channel-handlers.js'
import { PresenceClientError } from '../errors.js'
import { createMemberStore } from '../member-store.js'
import type { PresenceClientOptions, PresenceUser } from '../options.js'
import type {
  ConnectionState,
  MemberSnapshot,
  RecoverySnapshot,
  SignInSnapshot,
  Store,
  TabsSnapshot,
} from '../snapshots.js'
import { createStore, type WritableStore } from '../store.js'
import type { EventHandler, PresenceClient } from '../types.js'
import { createValidator } from '../validate.js'
import { createElection, type LockManagerLike } from './election.js'
import { createHub, type Hub, type HubOutput } from './hub.js'
import { fromWire, type Interest, type SharedValues, type TabMessage, toWire } from './protocol.js'

/** What a shared client needs from the page; injected so tests can hand in their own. @internal */
export interface TabsEnvironment {
  /** `navigator.locks`. */
  readonly locks: LockManagerLike
  /** Opens the channel between the tabs (`new BroadcastChannel(name)`). */
  channel(name: string): Pick<BroadcastChannel, 'postMessage' | 'close' | 'onmessage'>
  /**
   * Where `freeze`, `resume`, `visibilitychange`, `pagehide` and `pageshow` fire (the page's
   * `window`, `document`).
   */
  readonly lifecycle: {
    readonly window: EventTarget
    readonly document: EventTarget & { readonly visibilityState: DocumentVisibilityState }
  }
  /** Creates the leading tab's own-connection client. */
  connect(options: PresenceClientOptions): PresenceClient
}

/** One channel as this tab sees it. */
interface LocalChannel {
  readonly name: string
  readonly store: WritableStore<MemberSnapshot>
  /** This tab's `on()` handlers: the same table (and dispatch) as an own-connection channel's. */
  readonly handlers: ChannelHandlers
  /** References held by this tab. */
  held: number
  /** `subscribe` calls made by this tab. */
  acquires: number
  /** During a handoff: the last members stay (`reconnecting`) until the new leader settles. */
  holding: boolean
  /** The newest snapshot received while holding. */
  latest: MemberSnapshot | undefined
}

/** How long a leader may take to answer a ping before its lock is stolen. */
const PING_TIMEOUT_MS = 1000

/** How long a handoff may keep the last members of a channel, at most. */
const HANDOFF_HOLD_MS = 10_000

const OFF: RecoverySnapshot = { phase: 'off', attempt: 0, delayMs: null }
const SIGNED_OUT: SignInSnapshot = { status: 'off', error: null }

declare const process: { env: { NODE_ENV?: string } }

/**
 * The options of the leading tab's own client: the shared user (the last one any tab set, not
 * this page's initial option), no schemas (each tab validates what its own handlers receive).
 */
function ownOptions(
  options: PresenceClientOptions,
  user: PresenceUser | null | undefined,
): PresenceClientOptions {
  const { schemas: _schemas, onInvalidEvent: _onInvalid, user: _user, ...rest } = options
  return user === undefined ? { ...rest, tabs: 'own' } : { ...rest, tabs: 'own', user }
}

/**
 * A client that shares one connection with the other tabs of its origin.
 *
 * Every tab runs this same object; one of them, elected by a Web Lock, also runs a
 * {@link Hub}: an own-connection client following the union of every tab's interest. The
 * other tabs (followers) send their interest and receive snapshots, events and values over a
 * `BroadcastChannel`. A tab's stores are mirrors in every role, so nothing a page reads
 * depends on which tab leads.
 *
 * @param options - the client options (`pusher` must be options with `key`).
 * @param scope - what the tabs sharing one connection have in common (app key and host).
 * @param env - the page's locks, channel, lifecycle events and own-client factory.
 * @returns the client.
 * @internal
 */
export function createSharedClient(
  options: PresenceClientOptions,
  scope: string,
  env: TabsEnvironment,
): PresenceClient {
  const tab = Math.random().toString(36).slice(2) + Date.now().toString(36)
  const name = `@presence/tabs:${scope}`
  const bus = env.channel(name)
  /** Every tab's interest, this one's included: the leader follows it, a new leader starts from it. */
  const table = new Map<string, Interest>()
  const channels = new Map<string, LocalChannel>()
  const idle = createMemberStore(() => {}).getSnapshot()
  // Each tab validates what its own handlers receive (the leader's client has no schemas).
  const validated = createValidator(options)

  /** Whether this tab's app has set a user: only then is its `setUser(null)` a sign-out. */
  let declared = options.user != null
  const user = createStore(options.user)
  const connection = createStore<ConnectionState>('initialized')
  const recovery = createStore(OFF)
  const signIn = createStore<SignInSnapshot>(SIGNED_OUT)
  const online = createStore<ReadonlySet<string>>(new Set())
  const tabs = createStore<TabsSnapshot>({ role: 'follower' })
  let hub: Hub | undefined
  let leader: string | undefined
  let started = false
  let destroyed = false
  /** Frozen (page lifecycle) or hidden in the back/forward cache: no leading, no queueing. */
  let frozen = false
  let lastSent = ''
  let flushQueued = false
  let holdTimer: ReturnType<typeof setTimeout> | undefined
  /** Channels whose snapshot changed since the leader last posted them. */
  const unposted = new Set<string>()
  /**
   * This user's live state per presence channel, as every tab merged it (all tabs hear every
   * `updateMyState`): a new leader's connection publishes it again.
   */
  const myStates = new Map<string, Record<string, unknown>>()
  const remember = (channelName: string, patch: Record<string, unknown>) =>
    myStates.set(channelName, { ...myStates.get(channelName), ...patch })

  const post = (message: TabMessage) => {
    if (destroyed && message.t !== 'bye') return
    try {
      bus.postMessage(message)
    } catch {
      // A payload structured clone refuses (a pusher-js object with functions): its JSON.
      bus.postMessage(JSON.parse(JSON.stringify(message)))
    }
  }

  // ---- this tab's channels -------------------------------------------------------------

  const cares = (channel: LocalChannel) =>
    channel.held > 0 || channel.handlers.size > 0 || channel.store.hasListeners()

  const interestOf = (): Interest => {
    const interest: Record<string, Interest[string]> = {}
    for (const channel of channels.values()) {
      if (!cares(channel)) {
        channels.delete(channel.name)
        continue
      }
      interest[channel.name] = {
        held: channel.held,
        acquires: channel.acquires,
        events: channel.handlers.events(),
      }
    }
    return interest
  }

  /** Sends this tab's interest if it changed, and lets the hub follow. */
  const flush = () => {
    flushQueued = false
    if (destroyed) return
    const interest = interestOf()
    table.set(tab, interest)
    const text = JSON.stringify(interest)
    if (text === lastSent) return
    lastSent = text
    if (started) post({ t: 'interest', tab, interest })
    hub?.reconcile()
  }
  const changed = () => {
    if (flushQueued) return
    flushQueued = true
    queueMicrotask(flush)
  }

  const channelNamed = (channelName: string): LocalChannel => {
    let channel = channels.get(channelName)
    if (channel) return channel
    // A store the app listens to is a channel this tab cares about (its snapshots are sent).
    const store = createStore(idle, {
      onFirstListener() {
        if (!channels.has(channelName)) channels.set(channelName, created)
        changed()
      },
      onLastListener: () => changed(),
    })
    const created: LocalChannel = {
      name: channelName,
      store,
      handlers: createChannelHandlers(),
      held: 0,
      acquires: 0,
      holding: false,
      latest: undefined,
    }
    channel = created
    channels.set(channelName, channel)
    // Read without being used: dropped at the next flush.
    changed()
    return channel
  }

  const dispatch = (channelName: string, event: string, data: unknown) =>
    channels.get(channelName)?.handlers.dispatch(event, data)

  // ---- mirrors -------------------------------------------------------------------------

  const applyMembers = (channelName: string, snapshot: MemberSnapshot) => {
    const channel = channels.get(channelName)
    if (!channel) return
    if (channel.holding) {
      if (snapshot.status === 'idle' || snapshot.status === 'subscribing') {
        channel.latest = snapshot
        return
      }
      channel.holding = false
    }
    channel.latest = undefined
    channel.store.set(snapshot)
  }

  const releaseHolds = () => {
    clearTimeout(holdTimer)
    holdTimer = undefined
    for (const channel of channels.values()) {
      if (!channel.holding) continue
      channel.holding = false
      if (channel.latest) channel.store.set(channel.latest)
      channel.latest = undefined
    }
  }

  /**
   * The lead changes hands: as when a tab's own connection drops, a subscribed presence
   * channel turns `reconnecting` and keeps its members until the new leader settles it.
   */
  const handoff = () => {
    for (const channel of channels.values()) {
      const last = channel.store.getSnapshot()
      channel.holding =
        channel.name.startsWith('presence-') &&
        (last.status === 'subscribed' || last.status === 'reconnecting')
      if (channel.holding && last.status === 'subscribed')
        channel.store.set({ ...last, status: 'reconnecting' })
    }
    clearTimeout(holdTimer)
    holdTimer = setTimeout(releaseHolds, HANDOFF_HOLD_MS)
  }

  const applyValues = (values: Partial<SharedValues>) => {
    if ('user' in values) user.set(values.user)
    if (values.connection) connection.set(values.connection)
    if (values.recovery) recovery.set(values.recovery)
    if (values.signIn) signIn.set(values.signIn)
    if (values.online) online.set(new Set(values.online))
  }

  const applyUser = (next: PresenceUser | null) => {
    // Who is signed in changed: what the new leader reports is the truth, not the last members.
    releaseHolds()
    if (next?.id !== user.getSnapshot()?.id) myStates.clear()
    user.set(next)
    hub?.client.setUser(next)
  }

  // ---- leading -------------------------------------------------------------------------

  const postUnposted = () => {
    if (!hub) return unposted.clear()
    for (const channelName of unposted)
      post({
        t: 'members',
        name: channelName,
        snapshot: toWire(hub.client.members(channelName).getSnapshot()),
      })
    unposted.clear()
  }

  /** Posts the channel's snapshot at the end of the current task (changes of one tick coalesce). */
  const queuePost = (channelName: string) => {
    if (unposted.size === 0) queueMicrotask(postUnposted)
    unposted.add(channelName)
  }

  const output: HubOutput = {
    members(channelName, snapshot) {
      applyMembers(channelName, snapshot)
      queuePost(channelName)
    },
    event(channelName, event, data) {
      // Snapshots first: a handler reading the store sees what it would see in its own tab.
      postUnposted()
      post({ t: 'event', name: channelName, event, data })
      dispatch(channelName, event, data)
    },
    values(values) {
      applyValues(values)
      post({ t: 'values', values })
    },
  }

  /**
   * Acts on the shared connection, in the leading tab. A whisper also reaches the handlers of
   * the browser's other tabs: with a connection each, they would have received it (the
   * websocket server sends a client event to every connection but the sender's).
   */
  const act = (call: Extract<TabMessage, { t: 'call' }>) => {
    if (!hub) return
    if (call.method === 'disconnect') return hub.client.disconnect()
    if (call.method === 'updateMyState') return hub.client.updateMyState(call.name, call.patch)
    hub.client.whisper(call.name, call.event, call.data as never)
    const event = `client-${call.event}`
    post({ t: 'event', name: call.name, event, data: call.data, except: call.tab })
    if (call.tab !== tab) dispatch(call.name, event, call.data)
  }

  const stateMessage = (current: Hub): TabMessage => ({
    t: 'state',
    tab,
    table: [...table],
    values: current.values(),
    channels: current.snapshots().map(([channelName, snapshot]) => [channelName, toWire(snapshot)]),
  })

  const lead = () => {
    if (destroyed || hub) return
    handoff()
    leader = tab
    table.set(tab, interestOf())
    // The shared user (the last one any tab set), not this page's initial option.
    const current = createHub(env.connect(ownOptions(options, user.getSnapshot())), table, output)
    hub = current
    tabs.set({ role: 'leader' })
    applyValues(current.values())
    current.reconcile()
    for (const [channelName, state] of myStates) current.client.updateMyState(channelName, state)
    post(stateMessage(current))
  }

  /** Leaves the lead (frozen, hidden or destroyed): the connection closes, the next tab leads. */
  const abdicate = () => {
    election.stepDown()
    if (!hub) return
    const current = hub
    postUnposted()
    hub = undefined
    leader = undefined
    current.stop()
    tabs.set({ role: 'follower' })
  }

  const gone = (other: string) => {
    election.unwatch(other)
    table.delete(other)
    if (other === leader) {
      leader = undefined
      handoff()
    }
    hub?.reconcile()
  }

  /** The lock was stolen while this tab led (it was suspended): the other tab leads now. */
  const lost = () => {
    if (!hub) return
    const current = hub
    hub = undefined
    leader = undefined
    current.stop()
    tabs.set({ role: 'follower' })
    post({ t: 'hello', tab })
    election.stand()
  }

  const election = createElection({ locks: env.locks, name, tab, lead, lost, gone })

  /** A ping the leader has not answered yet. */
  let pingTimer: ReturnType<typeof setTimeout> | undefined
  const answered = () => {
    clearTimeout(pingTimer)
    pingTimer = undefined
  }
  /** The user looks at this tab: a leader that does not answer within a second is replaced. */
  const checkLeader = () => {
    if (hub || !started || destroyed || frozen || pingTimer) return
    if (env.lifecycle.document.visibilityState === 'hidden') return
    post({ t: 'ping', tab })
    pingTimer = setTimeout(() => {
      pingTimer = undefined
      election.steal()
    }, PING_TIMEOUT_MS)
  }

  // ---- messages from the other tabs ----------------------------------------------------

  const receive = (message: TabMessage) => {
    switch (message.t) {
      case 'interest': {
        election.watch(message.tab)
        const before = table.get(message.tab) ?? {}
        table.set(message.tab, message.interest)
        if (!hub) return
        hub.reconcile()
        // A channel new to that tab: it needs the current snapshot, which may not change soon.
        for (const channelName of Object.keys(message.interest))
          if (!(channelName in before)) queuePost(channelName)
        return
      }
      case 'hello':
        election.watch(message.tab)
        if (hub) post(stateMessage(hub))
        return
      case 'bye':
        return gone(message.tab)
      case 'state': {
        if (hub) return
        answered()
        election.watch(message.tab)
        if (leader !== message.tab) handoff()
        leader = message.tab
        for (const [other, interest] of message.table) {
          if (other === tab) continue
          table.set(other, interest)
          election.watch(other)
        }
        applyValues(message.values)
        for (const [channelName, wire] of message.channels)
          applyMembers(channelName, fromWire(wire))
        // The leader missed this tab's interest (it was sent before the lead changed hands).
        const known = message.table.find(([other]) => other === tab)?.[1]
        if (JSON.stringify(known ?? {}) !== lastSent)
          post({ t: 'interest', tab, interest: table.get(tab) ?? {} })
        return
      }
      case 'values':
        return applyValues(message.values)
      case 'members':
        return applyMembers(message.name, fromWire(message.snapshot))
      case 'event':
        if (message.except !== tab) dispatch(message.name, message.event, message.data)
        return
      case 'user':
        return applyUser(message.user)
      case 'call':
        if (message.method === 'updateMyState') remember(message.name, message.patch)
        return act(message)
      case 'ping':
        if (hub) post({ t: 'pong', tab })
        return
      case 'pong':
        return answered()
    }
  }
  bus.onmessage = (event: MessageEvent) => receive(event.data as TabMessage)

  // ---- page lifecycle ------------------------------------------------------------------

  const freeze = () => {
    frozen = true
    abdicate()
  }
  const resume = () => {
    if (!frozen || destroyed) return
    frozen = false
    // Whatever happened meanwhile, the leader's answer brings this tab up to date.
    lastSent = ''
    flush()
    post({ t: 'hello', tab })
    election.stand()
  }
  const onPageHide = () => {
    post({ t: 'bye', tab })
    freeze()
  }
  const onPageShow = (event: Event) => {
    if ((event as PageTransitionEvent).persisted) resume()
  }
  const { window: page, document } = env.lifecycle
  document.addEventListener('visibilitychange', checkLeader)
  document.addEventListener('freeze', freeze)
  document.addEventListener('resume', resume)
  page.addEventListener('pagehide', onPageHide)
  page.addEventListener('pageshow', onPageShow)

  election.start(() => {
    if (destroyed) return
    started = true
    lastSent = ''
    flush()
    post({ t: 'hello', tab })
    // A page opened signed in says so to the other tabs (its session is the newest).
    const initial = options.user
    if (initial) post({ t: 'user', user: initial })
    if (!frozen) election.stand()
  })

  /** A call on the connection: run here when this tab leads, else sent to the leader. */
  const send = (call: Extract<TabMessage, { t: 'call' }>) => {
    if (call.method === 'updateMyState') remember(call.name, call.patch)
    if (hub) act(call)
    else post(call)
  }

  const client: PresenceClient = {
    get pusher() {
      if (hub) return hub.client.pusher
      throw new PresenceClientError(
        'FOLLOWER_TAB',
        typeof process < 'u' && process.env.NODE_ENV !== 'production'
          ? 'this tab follows the connection another tab holds (tabs: "shared"): read client.tabs, or use tabs: "own" for a pusher-js instance in every tab'
          : 'FOLLOWER_TAB',
      )
    },
    subscribe(channelName) {
      const channel = channelNamed(channelName)
      channel.held++
      channel.acquires++
      changed()
      let released = false
      return {
        name: channelName,
        get channel() {
          return hub?.client.pusher.channel(channelName) ?? undefined
        },
        release() {
          if (released) return
          released = true
          channel.held--
          changed()
        },
      }
    },
    members: <Info>(channelName: string) =>
      channelNamed(channelName).store as Store<MemberSnapshot> as Store<MemberSnapshot<Info>>,
    on: ((channelName: string, event: string, handler: EventHandler) => {
      const channel = channelNamed(channelName)
      const unbind = channel.handlers.add(event, validated(channelName, event, handler))
      changed()
      return () => {
        if (unbind()) changed()
      }
    }) as PresenceClient['on'],
    setUser(next) {
      // A tab that never set a user reports its session still loading, not a sign-out.
      if (next === null && !declared) return
      declared = next !== null
      post({ t: 'user', user: next })
      applyUser(next)
    },
    user,
    online,
    connection,
    recovery,
    signIn,
    tabs,
    updateMyState: ((channelName: string, patch: Record<string, unknown>) =>
      send({
        t: 'call',
        method: 'updateMyState',
        name: channelName,
        patch,
      })) as PresenceClient['updateMyState'],
    whisper: ((channelName: string, event: string, data: unknown) =>
      send({
        t: 'call',
        method: 'whisper',
        tab,
        name: channelName,
        event,
        data,
      })) as PresenceClient['whisper'],
    disconnect: () => send({ t: 'call', method: 'disconnect' }),
    destroy() {
      if (destroyed) return
      for (const channel of channels.values()) channel.handlers.clear()
      post({ t: 'bye', tab })
      abdicate()
      destroyed = true
      election.stop()
      clearTimeout(holdTimer)
      answered()
      bus.close()
      document.removeEventListener('visibilitychange', checkLeader)
      document.removeEventListener('freeze', freeze)
      document.removeEventListener('resume', resume)
      page.removeEventListener('pagehide', onPageHide)
      page.removeEventListener('pageshow', onPageShow)
    },
  }
  return client
}
