/**
 * The MV3 service worker: the one place the realtime connection lives. It reads the token,
 * the session id and the configuration from `chrome.storage.local`, runs a {@link startWatcher}
 * and publishes what the UI shows to `chrome.storage.session`.
 *
 * Every listener is registered once, at the top level (Chrome only delivers events that woke a
 * stopped worker to listeners registered synchronously at start-up), and the watcher restarts
 * only when a key it reads changes value: the token, the session id or the configuration.
 * Anything else written to `chrome.storage.local` leaves the subscription alone.
 * @module
 */
import { initialView, STORAGE_KEYS, VIEW_KEY, type WatchView } from '../shared/protocol.js'
import { resolveConfig } from './config.js'
import { startWatcher, type Watcher } from './watcher.js'

let watcher: Watcher | null = null
let generation = 0

async function readToken(): Promise<string | undefined> {
  const stored = await chrome.storage.local.get(STORAGE_KEYS.accessToken)
  const token = stored[STORAGE_KEYS.accessToken]
  return typeof token === 'string' && token.length > 0 ? token : undefined
}

function publish(view: WatchView) {
  void chrome.storage.session.set({ [VIEW_KEY]: view })
}

/** (Re)starts the watcher from what is stored now; a newer restart wins over a slower one. */
async function restart() {
  const mine = ++generation
  watcher?.stop()
  watcher = null
  const stored = await chrome.storage.local.get([STORAGE_KEYS.sessionId, STORAGE_KEYS.config])
  if (mine !== generation) return
  const sessionId = stored[STORAGE_KEYS.sessionId]
  if (typeof sessionId !== 'string' || sessionId.length === 0) {
    publish(initialView(null, (await readToken()) !== undefined))
    return
  }
  const config = resolveConfig(stored[STORAGE_KEYS.config])
  watcher = startWatcher({ sessionId, config, readToken, publish })
}

/** The keys the watcher is started from; a change to any other key is none of its business. */
const WATCHED_KEYS: readonly string[] = Object.values(STORAGE_KEYS)

/** Whether a `chrome.storage.onChanged` batch changed the value of a key the watcher reads. */
function touchesWatchedKeys(changes: Record<string, chrome.storage.StorageChange>): boolean {
  return WATCHED_KEYS.some((key) => {
    const change = changes[key]
    // Chrome reports a write of an equal value too; only a different value needs a restart.
    return (
      change !== undefined && JSON.stringify(change.oldValue) !== JSON.stringify(change.newValue)
    )
  })
}

/** The alarm that wakes a terminated worker; waking runs this module, which restarts the watcher. */
const WAKE_ALARM = 'presence-wake'

chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local' || !touchesWatchedKeys(changes)) return
  void restart()
})

// Backstop for the websocket keepalive: if Chrome terminated the worker anyway (e.g. the
// socket was down for longer than the idle limit), this alarm starts it again within 30 s and
// the top-level restart() below reconnects. Creating an alarm that exists replaces it, so a
// worker that starts many times still has exactly one.
void chrome.alarms.create(WAKE_ALARM, { periodInMinutes: 0.5 })
chrome.alarms.onAlarm.addListener((alarm) => {
  // Nothing else to do: delivering the alarm started the worker, and starting ran restart().
  if (alarm.name !== WAKE_ALARM) return
})

void restart()
