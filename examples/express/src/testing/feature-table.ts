/**
 * The batch authentication service's channels, one row per feature × channel
 * type, written out by hand from the service's description: who may join,
 * what `user_info` a member carries, which retained events a private channel
 * hands over, who is refused with which code, and the time limit. Nothing
 * here is computed by the code under test, so a changed rule, field or event
 * name fails `features.integration.test.ts`.
 */

/** Who calls: a login token (`null`: anonymous) and an optional `X-Client-ID`. */
export interface Caller {
  token: string | null
  clientId?: string
}

/** One feature on one channel type. */
export interface FeatureRow {
  /** The definition's pattern in `src/features/`. */
  pattern: string
  type: 'private' | 'presence'
  feature: string
  /** A channel of the pattern, with demo data behind it. */
  channel: string
  /** A caller that gets a signature. */
  allowed: Caller
  /** Presence: the exact `channel_data` signed for `allowed`. */
  member?: { user_id: string; user_info: Record<string, unknown> }
  /** Private: the retained event names handed to `allowed`, in order (`[]`: none). */
  events?: string[]
  /** A refused request: its caller, its channel (default `channel`), the code and status. */
  refused: { caller: Caller; channel?: string; code: string; status: number }
  /** The channel's time limit, in ms: 4000 for presence and `private-stream`, 2000 otherwise. */
  limitMs: 4000 | 2000
}

const anonymous: Caller = { token: null }
const alice: Caller = { token: 'token-alice' }
const bob: Caller = { token: 'token-bob' }
const carol: Caller = { token: 'token-carol' }
const eve: Caller = { token: 'token-eve' }

/** The private features (senders), in the order the service lists them, plus `campaign`. */
export const PRIVATE_FEATURES = [
  'user',
  'message',
  'feed',
  'goal',
  'stream',
  'stream-viewer',
  'session',
  'order',
  'asset',
  'chat',
  'campaign',
] as const

/** The twelve presence receivers, in the order the service lists them. */
export const PRESENCE_RECEIVERS = [
  'user',
  'client',
  'asset',
  'chat',
  'goal',
  'session',
  'stream',
  'stream-viewer',
  'stream-exclusive',
  'session-exclusive',
  'order',
  'message',
] as const

export const FEATURE_TABLE: readonly FeatureRow[] = [
  // ── private channels ──────────────────────────────────────────────────────
  {
    pattern: 'private-user@{userId}',
    type: 'private',
    feature: 'user',
    channel: 'private-user@1',
    allowed: anonymous,
    events: [
      'stream.online',
      'stream.viewers.updated',
      'goal.started',
      'goal.progress.updated',
      'goal.added',
      'session.rating.updated',
      'device.online',
      'user.online',
      'user.reply-price-changed',
      'level.updated',
    ],
    refused: { caller: anonymous, channel: 'private-user@99', code: 'USER_NOT_FOUND', status: 403 },
    limitMs: 2000,
  },
  {
    pattern: 'private-message@{chatId}',
    type: 'private',
    feature: 'message',
    channel: 'private-message@901',
    allowed: bob,
    events: ['message.sent'],
    refused: { caller: eve, code: 'CHAT_FORBIDDEN', status: 403 },
    limitMs: 2000,
  },
  {
    pattern: 'private-feed@{userId}',
    type: 'private',
    feature: 'feed',
    channel: 'private-feed@1',
    allowed: anonymous,
    events: [],
    refused: { caller: anonymous, channel: 'private-feed@99', code: 'USER_NOT_FOUND', status: 403 },
    limitMs: 2000,
  },
  {
    pattern: 'private-goal@{goalId}',
    type: 'private',
    feature: 'goal',
    channel: 'private-goal@7',
    allowed: anonymous,
    events: ['goal.updated'],
    refused: { caller: anonymous, channel: 'private-goal@99', code: 'GOAL_NOT_FOUND', status: 403 },
    limitMs: 2000,
  },
  {
    pattern: 'private-stream@{streamId}',
    type: 'private',
    feature: 'stream',
    channel: 'private-stream@42',
    allowed: anonymous,
    events: [
      'stream.online',
      'stream.revenue.updated',
      'goal.started',
      'goal.progress.updated',
      'goal.added',
      'session.tip.received',
      'session.poll.started',
      'stream.viewers.updated',
      'source.online',
      'session.rating.updated',
      'device.online',
      'stream.announcement',
    ],
    refused: {
      caller: anonymous,
      channel: 'private-stream@99',
      code: 'STREAM_NOT_FOUND',
      status: 403,
    },
    limitMs: 4000,
  },
  {
    pattern: 'private-stream-viewer@{streamId}',
    type: 'private',
    feature: 'stream-viewer',
    channel: 'private-stream-viewer@42',
    allowed: anonymous,
    events: ['stream.viewers.updated'],
    refused: {
      caller: anonymous,
      channel: 'private-stream-viewer@99',
      code: 'STREAM_NOT_FOUND',
      status: 403,
    },
    limitMs: 2000,
  },
  {
    pattern: 'private-session@{sessionId}',
    type: 'private',
    feature: 'session',
    channel: 'private-session@501',
    allowed: anonymous,
    events: ['session.tip.received', 'session.poll.started', 'session.rating.updated'],
    refused: {
      caller: anonymous,
      channel: 'private-session@99',
      code: 'SESSION_NOT_FOUND',
      status: 403,
    },
    limitMs: 2000,
  },
  {
    pattern: 'private-order@{orderId}',
    type: 'private',
    feature: 'order',
    channel: 'private-order@1001',
    allowed: bob,
    events: ['order.updated'],
    refused: { caller: eve, code: 'ORDER_FORBIDDEN', status: 403 },
    limitMs: 2000,
  },
  {
    pattern: 'private-asset@{assetId}',
    type: 'private',
    feature: 'asset',
    channel: 'private-asset@302',
    allowed: alice,
    events: [],
    refused: { caller: bob, code: 'ASSET_FORBIDDEN', status: 403 },
    limitMs: 2000,
  },
  {
    pattern: 'private-chat@{chatId}',
    type: 'private',
    feature: 'chat',
    channel: 'private-chat@901',
    allowed: alice,
    events: [],
    refused: { caller: eve, code: 'CHAT_FORBIDDEN', status: 403 },
    limitMs: 2000,
  },
  {
    pattern: 'private-campaign@{campaignId}',
    type: 'private',
    feature: 'campaign',
    channel: 'private-campaign@11',
    allowed: anonymous,
    events: ['campaign.started', 'campaign.banner.updated'],
    refused: {
      caller: anonymous,
      channel: 'private-campaign@99',
      code: 'CAMPAIGN_NOT_FOUND',
      status: 403,
    },
    limitMs: 2000,
  },
  // ── presence channels ─────────────────────────────────────────────────────
  {
    pattern: 'presence-user@{userId}',
    type: 'presence',
    feature: 'user',
    channel: 'presence-user@1',
    allowed: bob,
    member: {
      user_id: '2',
      user_info: {
        name: 'bob',
        avatar: 'https://avatars.example/bob.png',
        level: 3,
        role: 'visitor',
      },
    },
    refused: { caller: anonymous, code: 'UNAUTHENTICATED', status: 401 },
    limitMs: 4000,
  },
  {
    pattern: 'presence-client@{clientId}',
    type: 'presence',
    feature: 'client',
    channel: 'presence-client@web-bob',
    // The client id that counts is the one bob's login was made on (web-bob), not a header.
    allowed: { token: 'token-bob' },
    member: {
      user_id: '2',
      user_info: {
        name: 'bob',
        avatar: 'https://avatars.example/bob.png',
        level: 3,
        role: 'member',
      },
    },
    // eve claims bob's client in X-Client-ID: her login was made on web-eve.
    refused: {
      caller: { token: 'token-eve', clientId: 'web-bob' },
      code: 'CLIENT_MISMATCH',
      status: 403,
    },
    limitMs: 4000,
  },
  {
    pattern: 'presence-asset@{assetId}',
    type: 'presence',
    feature: 'asset',
    channel: 'presence-asset@302',
    allowed: alice,
    member: {
      user_id: '1',
      user_info: {
        name: 'alice',
        avatar: 'https://avatars.example/alice.png',
        level: 12,
        role: 'owner',
      },
    },
    refused: { caller: bob, code: 'ASSET_FORBIDDEN', status: 403 },
    limitMs: 4000,
  },
  {
    pattern: 'presence-chat@{chatId}',
    type: 'presence',
    feature: 'chat',
    channel: 'presence-chat@901',
    allowed: bob,
    member: {
      user_id: '2',
      user_info: {
        name: 'bob',
        avatar: 'https://avatars.example/bob.png',
        level: 3,
        role: 'member',
      },
    },
    refused: { caller: eve, code: 'CHAT_FORBIDDEN', status: 403 },
    limitMs: 4000,
  },
  {
    pattern: 'presence-goal@{goalId}',
    type: 'presence',
    feature: 'goal',
    channel: 'presence-goal@7',
    allowed: carol,
    member: {
      user_id: '3',
      user_info: {
        name: 'carol',
        avatar: 'https://avatars.example/carol.png',
        level: 5,
        role: 'supporter',
      },
    },
    refused: { caller: anonymous, code: 'UNAUTHENTICATED', status: 401 },
    limitMs: 4000,
  },
  {
    pattern: 'presence-session@{sessionId}',
    type: 'presence',
    feature: 'session',
    channel: 'presence-session@501',
    allowed: eve,
    member: {
      user_id: '5',
      user_info: {
        name: 'eve',
        avatar: 'https://avatars.example/eve.png',
        level: 1,
        role: 'attendee',
      },
    },
    refused: { caller: anonymous, code: 'UNAUTHENTICATED', status: 401 },
    limitMs: 4000,
  },
  {
    pattern: 'presence-stream@{streamId}',
    type: 'presence',
    feature: 'stream',
    channel: 'presence-stream@42',
    allowed: alice,
    member: {
      user_id: '1',
      user_info: {
        name: 'alice',
        avatar: 'https://avatars.example/alice.png',
        level: 12,
        role: 'host',
      },
    },
    refused: { caller: anonymous, code: 'UNAUTHENTICATED', status: 401 },
    limitMs: 4000,
  },
  {
    pattern: 'presence-stream-viewer@{streamId}',
    type: 'presence',
    feature: 'stream-viewer',
    channel: 'presence-stream-viewer@42',
    allowed: carol,
    member: {
      user_id: '3',
      user_info: {
        name: 'carol',
        avatar: 'https://avatars.example/carol.png',
        level: 5,
        role: 'viewer',
      },
    },
    refused: { caller: anonymous, code: 'UNAUTHENTICATED', status: 401 },
    limitMs: 4000,
  },
  {
    pattern: 'presence-stream-exclusive@{streamId}',
    type: 'presence',
    feature: 'stream-exclusive',
    channel: 'presence-stream-exclusive@42',
    allowed: bob,
    member: {
      user_id: '2',
      user_info: {
        name: 'bob',
        avatar: 'https://avatars.example/bob.png',
        level: 3,
        role: 'subscriber',
      },
    },
    refused: { caller: carol, code: 'SUBSCRIPTION_REQUIRED', status: 403 },
    limitMs: 4000,
  },
  {
    pattern: 'presence-session-exclusive@{sessionId}',
    type: 'presence',
    feature: 'session-exclusive',
    channel: 'presence-session-exclusive@502',
    allowed: bob,
    member: {
      user_id: '2',
      user_info: {
        name: 'bob',
        avatar: 'https://avatars.example/bob.png',
        level: 3,
        role: 'ticket-holder',
      },
    },
    refused: { caller: carol, code: 'TICKET_REQUIRED', status: 403 },
    limitMs: 4000,
  },
  {
    pattern: 'presence-order@{orderId}',
    type: 'presence',
    feature: 'order',
    channel: 'presence-order@1001',
    allowed: bob,
    member: {
      user_id: '2',
      user_info: {
        name: 'bob',
        avatar: 'https://avatars.example/bob.png',
        level: 3,
        role: 'buyer',
      },
    },
    refused: { caller: eve, code: 'ORDER_FORBIDDEN', status: 403 },
    limitMs: 4000,
  },
  {
    pattern: 'presence-message@{chatId}',
    type: 'presence',
    feature: 'message',
    channel: 'presence-message@901',
    allowed: alice,
    member: {
      user_id: '1',
      user_info: {
        name: 'alice',
        avatar: 'https://avatars.example/alice.png',
        level: 12,
        role: 'member',
      },
    },
    refused: { caller: eve, code: 'CHAT_FORBIDDEN', status: 403 },
    limitMs: 4000,
  },
]

/** Request headers for a caller. */
export function headersOf(caller: Caller): Record<string, string> {
  return {
    ...(caller.token ? { Authorization: `Bearer ${caller.token}` } : {}),
    ...(caller.clientId ? { 'X-Client-ID': caller.clientId } : {}),
  }
}
