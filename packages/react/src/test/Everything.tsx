import {
  shallow,
  useActiveChannel,
  useActiveList,
  useChannel,
  useConnectionState,
  useEvent,
  useIsOnline,
  useMembers,
  useMyState,
  useOthers,
  usePresence,
  usePresenceClient,
  useSelf,
  useWhisper,
} from '../index.js'

/** What {@link Everything} renders on the server: every hook in its idle state. */
export const IDLE_STATE = {
  active: { status: 'idle', error: null },
  list: [],
  presence: { status: 'idle', members: [], me: null, count: 0, error: null },
  count: 0,
  ids: [],
  channel: { status: 'idle', error: null },
  connection: 'initialized',
  online: false,
  client: 'none',
  self: null,
  others: [],
  myState: {},
  whisper: 'function',
}

/** A component using every hook, rendering their values as JSON in a `<pre>`. */
export function Everything() {
  const active = useActiveChannel('presence-messenger', { enabled: true })
  const list = useActiveList('presence-messenger')
  const presence = usePresence('presence-room@1')
  const count = useMembers('presence-room@1', (s) => s.count)
  const ids = useMembers('presence-room@1', (s) => [...s.members.keys()], shallow)
  const channel = useChannel('private-feed@1')
  useEvent('private-feed@1', 'update', () => {
    throw new Error('no event can arrive while rendering on the server')
  })
  const connection = useConnectionState()
  const online = useIsOnline('ada')
  const client = usePresenceClient()
  const self = useSelf('presence-room@1')
  const others = useOthers('presence-room@1')
  const [myState, update] = useMyState('presence-room@1')
  const whisper = useWhisper('presence-room@1')
  // On the server the senders do nothing (no client, no socket).
  update({ typing: true })
  whisper('wave', {})
  const state = {
    active,
    list,
    presence: { ...presence, members: [...presence.members.keys()] },
    count,
    ids,
    channel,
    connection,
    online,
    client: client === null ? 'none' : 'some',
    self,
    others,
    myState,
    whisper: typeof whisper,
  }
  return <pre>{JSON.stringify(state)}</pre>
}

/**
 * Reads the JSON that {@link Everything} rendered into HTML.
 *
 * @param html - `renderToString` output.
 * @returns the parsed state.
 */
export function readEverything(html: string): unknown {
  return JSON.parse(
    html
      .replace(/^<pre>/, '')
      .replace(/<\/pre>$/, '')
      .replaceAll('&quot;', '"'),
  )
}
