import type {
  ChannelName,
  EventData,
  EventName,
  MemberInfo,
  RegisteredChannels,
} from '@presence/client'

// The channel map as the hooks read it: the one declared in `Register` (any channel when none is).

/** A channel name the registered map allows. @internal */
export type Name = ChannelName<RegisteredChannels>

/**
 * The member info of channel `N`: `Given` when the caller wrote it as a type argument
 * (`usePresence<User>(name)`), otherwise what the registered channel map says.
 * @internal
 */
export type InfoOf<N extends string, Given = never> = [Given] extends [never]
  ? MemberInfo<RegisteredChannels, N>
  : Given

/** An event name of channel `N` in the registered map. @internal */
export type EventOf<N extends string> = EventName<RegisteredChannels, N>

/**
 * The payload of event `E` on channel `N`: `Given` when written as a type argument, otherwise
 * what the registered channel map says.
 * @internal
 */
export type DataOf<N extends string, E extends string, Given = never> = [Given] extends [never]
  ? EventData<RegisteredChannels, N, E>
  : Given
