// biome-ignore-all lint: a size experiment written for the minifier, not for reading.
// biome-ignore-all format: kept dense on purpose.
/**
 * Size floor experiment (not shipped, not a test): every documented behaviour
 * of `@presence/client` in one file, golfed for bundle size (merged modules,
 * short internals, no public extras such as `client.user` or `disconnect()`).
 * `bench/bundle-size.ts` bundles it the same way as the package, once as is
 * and once with the O(1) persistent member map swapped for a copy of the map
 * per event (`COPY_MAP`), to show which requirement the 2.5 KB budget collides with.
 */
import Pusher from 'pusher-js'
export class PresenceClientError extends Error {
  constructor(code: string, message: string, extra: any = {}) {
    super(message, extra)
    Object.assign(this, { name: 'PresenceClientError', code, status: 0 }, extra)
  }
}
const fail = (code: string, extra: any, message?: unknown): any =>
  new PresenceClientError(
    code,
    message != null ? String(message) : extra.field ? `${code} "${extra.field}"` : code,
    extra,
  )

class PersistentMap<V> {
  m: any
  d: any
  e: any
  size: number
  constructor(map = new Map()) {
    this.m = map
    this.size = map.size
  }
  with(key: string, value: any) {
    const m = this.m
    const d: any = [this, key, m.get(key)]
    value ? m.set(key, value) : m.delete(key)
    this.m = null
    this.d = d
    return (d[0] = new PersistentMap(m))
  }
  get(key: string) {
    return this.own().get(key)
  }
  has(key: string) {
    return this.own().has(key)
  }
  forEach(fn: any, self?: unknown) {
    this.own().forEach((v: any, k: any) => {
      fn.call(self, v, k, this)
    })
  }
  entries() {
    return this.own().entries()
  }
  keys() {
    return this.own().keys()
  }
  values() {
    return this.own().values()
  }
  [Symbol.iterator]() {
    return this.entries()
  }
  own() {
    if (this.m) return this.m
    if (!this.e) {
      const diffs = []
      let x: any = this
      for (; x.d; x = x.d[0]) diffs.push(x.d)
      const e = new Map(x.m)
      for (const [, k, v] of diffs.reverse()) v ? e.set(k, v) : e.delete(k)
      this.e = e
    }
    return this.e
  }
}

/** The naive immutable map: a copy per write, O(n) per event. */
class CopyMap<V> extends Map<string, V> {
  with(k: string, v: V | undefined) { const m = new CopyMap<V>(this); v ? m.set(k, v) : m.delete(k); return m }
}
declare const COPY_MAP: boolean
const MemberMap: typeof PersistentMap = COPY_MAP ? (CopyMap as any) : PersistentMap

function createStore<T>(initial: T): any {
  let value = initial
  const listeners = new Set<() => void>()
  const store: any = {
    subscribe(listener: any) {
      const l = () => listener()
      listeners.add(l)
      return () => listeners.delete(l)
    },
    getSnapshot: () => value,
    getServerSnapshot: () => initial,
    set(next: T) {
      if (next !== value) {
        value = next
        store.emit()
      }
    },
    emit() {
      for (const l of [...listeners]) l()
    },
  }
  return store
}

export function createPresenceClient(options: any) {
  let { pusher, auth, graceMs = 50, user } = options
  const owned = !pusher.subscribe
  if (owned) pusher = new Pusher(pusher.key, pusher)
  const channels = new Map<string, any>()
  let destroyed = false
  // online
  const counts = new Map<string, number>()
  const online = createStore(0)
  let onlineSnap: any
  online.getSnapshot = () => (onlineSnap ??= new Set(counts.keys()))
  const delta = (id: string, change: number) => {
    const n = (counts.get(id) ?? 0) + change
    n ? counts.set(id, n) : counts.delete(id)
    if (n === (change > 0 ? 1 : 0)) {
      onlineSnap = undefined
      online.emit()
    }
  }
  const connection = createStore(pusher.connection.state)

  // authorizer
  let queue: any[] = []
  let timer: any
  let refreshing: any
  const request = async (socketId: string, names: string[], batch: any, out: any) => {
    const url = batch || auth.endpoint
    let res: any, body: any, error: any
    try {
      const h = auth.headers
      const headers = new Headers(typeof h === 'function' ? await h() : h)
      headers.set('Content-Type', batch ? 'application/json' : 'application/x-www-form-urlencoded')
      res = await (auth.fetch ?? fetch)(url, {
        method: 'POST',
        headers,
        credentials: auth.credentials,
        body: batch
          ? JSON.stringify({ socket_id: socketId, channels: names })
          : new URLSearchParams({ socket_id: socketId, channel_name: names[0]! }),
      })
      body = await res.json()
    } catch (e) {
      error = e
    }
    for (const channel of names) {
      const status = res?.status
      const b = (batch && res.ok && body ? body[channel] : body) ?? {}
      const e = b.error
      const field = [
        'auth',
        channel.startsWith('presence-') && 'channel_data',
        channel.startsWith('private-encrypted-') && 'shared_secret',
      ].find((f: any) => f && typeof b[f] !== 'string')
      out[channel] = !res
        ? fail('NETWORK_ERROR', { channel, cause: error, url })
        : e?.code
          ? fail(e.code, { status: e.status ?? status, channel }, e.message)
          : !res.ok
            ? fail('HTTP_ERROR', { status, channel, url })
            : field
              ? fail('INVALID_AUTH_RESPONSE', { status, channel, field })
              : b
    }
  }
  const run = async (socketId: string, items: any[], batch: any) => {
    const names = [...new Set(items.map(([p]) => p.channelName))]
    const results: any = {}
    await request(socketId, names, batch, results)
    const refused = names.filter((n) => results[n].status === 401)
    if (refused[0] && auth.onUnauthorized) {
      await (refreshing ??= (async () => {
        try {
          await auth.onUnauthorized()
        } catch {}
        refreshing = undefined
      })())
      await request(socketId, refused, batch, results)
    }
    for (const item of items) {
      const [{ channelName: c }, callback] = item
      const o = results[c]
      if (channels.get(c)?.outcome(o) === false) run(socketId, [item], batch)
      else o instanceof Error ? callback(o) : callback(null, o)
    }
  }
  const flush = () => {
    clearTimeout(timer)
    timer = undefined
    const items = queue
    queue = []
    if (items[0]) run(items[0][0].socketId, items, auth.batchEndpoint)
  }
  pusher.config.channelAuthorizer = (params: any, callback: any) => {
    const { socketId } = params
    if (!auth.batchEndpoint) return run(socketId, [[params, callback]], 0)
    if (queue[0]?.[0].socketId !== socketId) flush()
    if (queue.push([params, callback]) >= (auth.maxBatch ?? 50)) flush()
    else timer ??= setTimeout(flush, auth.batchWindowMs ?? 10)
  }

  const channel = (name: string): any => {
    let state = channels.get(name)
    if (state) return state
    const presence = name.startsWith('presence-')
    const snap = (status: string, members: any, me: any = null, error: any = null) =>
      store.set({ status, members, me, count: members.size, error })
    const store = createStore(0)
    const reset = (status: string, error: any = null) => {
      const s = store.getSnapshot()
      if (s.status === status && s.error === error && !s.count) return
      for (const id of s.members.keys()) delta(id, -1)
      snap(status, new MemberMap(), null, error)
    }
    const handlers = new Set<any>()
    let refs = 0,
      graceTimer: any,
      bound: any,
      answer: any,
      authorizing: any,
      stale: any
    const pending = () => {
      authorizing = true
      reset('subscribing')
    }
    const dispatch = (event: string, data: unknown) => {
      for (const [e, h] of [...handlers])
        try {
          if (e === event) h(data)
        } catch (error) {
          setTimeout(() => {
            throw error
          })
        }
    }
    const listener = (event: string, data: any) => {
      const d = data ?? {}
      const s = store.getSnapshot()
      const key = String(d.id)
      const added = event === 'pusher:member_added'
      if (event === 'pusher:subscription_succeeded') {
        reset('subscribed')
        if (presence) {
          const map = new Map()
          data.each(({ id, info }: any) => {
            const key = String(id)
            map.has(key) || delta(key, 1)
            map.set(key, { id: key, info })
          })
          snap('subscribed', new MemberMap(map), map.get(String(data.myID)))
        }
        dispatch(event, data)
        const events = answer?.events
        answer = undefined
        if (Array.isArray(events)) for (const r of events) dispatch(r?.event, r?.data)
        return
      }
      if (event === 'pusher:subscription_error') {
        const { code, status, message } =
          answer instanceof Error
            ? answer
            : fail(
                d.status === 4100 ? 'MEMBER_LIMIT' : 'SUBSCRIPTION_ERROR',
                { status: d.status ?? 0, channel: name },
                d.error,
              )
        answer = undefined
        if (bound) bound.subscriptionPending = false
        reset(status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : 'error', {
          code,
          status,
          message,
        })
      } else if (added || event === 'pusher:member_removed') {
        const had = s.members.has(key)
        const member = added && { id: key, info: d.info }
        if (added !== had) delta(key, added ? 1 : -1)
        if (added || had)
          snap(
            s.status,
            s.members.with(key, member),
            s.me?.id === key && added ? member : s.me,
            s.error,
          )
      }
      dispatch(event, data)
    }
    const sync = (rejoin?: boolean) => {
      const wanted = !destroyed && (refs || graceTimer) && !(presence && !user)
      if (bound && rejoin && wanted && authorizing) return (stale = true)
      if (bound && (rejoin || !wanted)) {
        bound.unbind_global(listener)
        bound = stale = undefined
        pusher.unsubscribe(name)
        reset('idle')
      }
      if (wanted && !bound) {
        answer = undefined
        pending()
        bound = pusher.subscribe(name)
        bound.bind_global(listener)
      }
    }
    snap('idle', new MemberMap())
    channels.set(
      name,
      (state = {
        store,
        handlers,
        presence,
        sync,
        outcome(o: any) {
          if (stale) return (stale = false)
          authorizing = false
          answer = o
        },
        dropped() {
          bound && pending()
        },
        acquire() {
          refs++
          clearTimeout(graceTimer)
          graceTimer = undefined
          if (bound && !/^subscrib/.test(store.getSnapshot().status)) {
            pending()
            pusher.subscribe(name)
          }
          sync()
          let released: any
          return {
            name,
            get channel() {
              return bound
            },
            release() {
              if (!released && !--refs)
                graceTimer = setTimeout(() => {
                  graceTimer = undefined
                  sync()
                }, graceMs)
              released = true
            },
          }
        },
      }),
    )
    return state
  }

  const onState = ({ current }: any) => {
    connection.set(current)
    if (current === 'connected') {
      for (const c of pusher.allChannels())
        c.subscriptionCancelled && pusher.channels.remove(c.name)
    } else for (const c of channels.values()) c.dropped()
  }
  pusher.connection.bind('state_change', onState)
  return {
    pusher,
    subscribe: (name: string) => channel(name).acquire(),
    members: (name: string) => channel(name).store,
    on(name: string, event: string, handler: any) {
      const { handlers } = channel(name)
      const pair = [event, handler]
      handlers.add(pair)
      return () => {
        handlers.delete(pair)
      }
    },
    setUser(next: any) {
      const rejoin = !next || (user && user.id !== next.id)
      user = next
      for (const c of channels.values()) c.presence && c.sync(rejoin)
    },
    online,
    connection,
    destroy() {
      destroyed = true
      for (const c of channels.values()) {
        c.sync()
        c.handlers.clear()
      }
      pusher.connection.unbind('state_change', onState)
      owned && pusher.disconnect()
    },
  }
}
