import { presenceServer } from '@/lib/presence'

/**
 * pusher-js's channel authorization endpoint (form `socket_id` + `channel_name`):
 * signs `presence-messenger` for a signed-in user, 401 `UNAUTHENTICATED` otherwise.
 */
export const POST = (request: Request) => presenceServer().handlers.auth(request)
