import { presenceServer } from '@/lib/presence'

/**
 * Every presence endpoint in one route: `presence.handler` dispatches on the last path
 * segment. `POST /api/pusher/auth` is pusher-js's channel authorization (signs
 * `presence-messenger` for a signed-in user, 401 `UNAUTHENTICATED` otherwise);
 * `GET`/`POST /api/pusher/batch` is the batch endpoint `@presence/client` sends every
 * subscription of a tick to. Any other path under `/api/pusher` answers 404 `NOT_FOUND`.
 */
export const GET = (request: Request) => presenceServer().handler(request)
export const POST = (request: Request) => presenceServer().handler(request)
