import { presenceServer } from '@/lib/presence'

/**
 * Batch authorization: one request, one session lookup, many channels
 * (`@presence/client` sends every subscription of a tick here).
 */
export const GET = (request: Request) => presenceServer().handlers.batch(request)
export const POST = (request: Request) => presenceServer().handlers.batch(request)
