'use client'
import type {
  AnyState,
  ChannelName,
  MemberSnapshot,
  MemberState,
  RegisteredChannels,
} from '@presence/client'
import { useCallback } from './react.js'
import { useMembers } from './useMembers.js'
import { useAnyClient } from './usePresenceClient.js'

const NO_STATE: AnyState = Object.freeze({})
const selectMyState = (snapshot: MemberSnapshot) => snapshot.me?.state ?? NO_STATE

/**
 * This user's live state on a presence channel, and a function that updates it (a shallow
 * merge, sent to the other members as a client event, coalesced and paced to 10 per second).
 * The websocket server must allow client events. The state shows in this user's `me` and in
 * the other members' stores (`member.state`).
 *
 * @typeParam N - the channel name (inferred).
 * @param name - the presence channel.
 * @returns `[state, update]`: `{}` until the channel is subscribed and on the server; `update`
 *   keeps its identity while the client and name do.
 * @example
 * const [state, update] = useMyState('presence-room@42')
 * return <input onFocus={() => update({ typing: true })} onBlur={() => update({ typing: false })} />
 */
export function useMyState<N extends ChannelName>(
  name: N,
): [
  state: MemberState<RegisteredChannels, N>,
  update: (patch: Partial<MemberState<RegisteredChannels, N>>) => void,
] {
  const client = useAnyClient()
  const state = useMembers(name, selectMyState) as MemberState<RegisteredChannels, N>
  const update = useCallback(
    (patch: Partial<MemberState<RegisteredChannels, N>>) =>
      client?.updateMyState(name, patch as AnyState),
    [client, name],
  )
  return [state, update]
}
