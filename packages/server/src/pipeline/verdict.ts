import type { PresenceMember, RetainedEvent } from '../channel/definition.js'
import type { PresenceError } from '../errors.js'
import type { ChannelAuth } from '../signer/signer.js'
import type { TraceStep } from './trace.js'

/**
 * What an authorizer's "yes" carries once interpreted: the presence member
 * data, the retained events. This is what the grant cache stores — never a
 * signature, never a refusal.
 */
export interface Permit {
  /** Presence member data (presence channels only). */
  member?: PresenceMember
  /** Retained events to deliver once subscribed. */
  events?: RetainedEvent[]
  /**
   * The user's grant generation when the permit was cached (scope `'user'`): a permit whose
   * generation is not the user's current one was revoked, and is never served.
   */
  generation?: string
}

/** A signed channel answer, with retained events. */
export interface ChannelGrant extends ChannelAuth {
  /** Retained events to deliver once subscribed. */
  events?: RetainedEvent[]
}

/**
 * The verdict on one channel of a request, as a plain value: signed, or
 * refused with a typed error (and, in debug mode, the trace of the checks).
 */
export type ChannelVerdict =
  | { readonly ok: true; readonly grant: ChannelGrant }
  | { readonly ok: false; readonly error: PresenceError; readonly trace: TraceStep[] | null }
