import { getAuth } from '@/lib/auth'

/** better-auth's endpoints (sign-in, sign-out, session) under `/api/auth/*`. */
const handler = (request: Request) => getAuth().handler(request)

export const GET = handler
export const POST = handler
