/**
 * The request surface a session adapter may read: the Fetch `Request` surface
 * (`headers.get`, `url`, `method`). The Express and Node adapters hand over a
 * lighter object with this surface and expose the framework request as `raw`.
 */
export interface PresenceRequest {
  readonly method: string
  readonly url: string
  readonly headers: { get(name: string): string | null }
  /** The framework's own request (Express `req`, Node `IncomingMessage`), when adapted. */
  readonly raw?: unknown
}

/**
 * Who is asking. `userId` is always a non-empty string; adapters may add fields.
 */
export interface Session {
  userId: string
  /** A Chrome extension's tenant: the active organization id, or the user id. */
  tenantId?: string
  [key: string]: unknown
}

/**
 * Resolves the caller's session from a request, or `null` when there is none.
 * May be sync or async. Throwing means the session backend failed (the server answers 503).
 */
export type SessionAdapter<S extends Session = Session> = (
  request: PresenceRequest,
) => S | null | Promise<S | null>

/**
 * What the adapter factories (`bearerJwt`, `betterAuth`, `authJs`, `expressUser`, `firstOf`,
 * `withTenant`) return: a {@link SessionAdapter}, with the `name` every function has.
 *
 * Spelled as an intersection so that TypeScript infers the session type when a factory is
 * called inline, `createPresenceServer({ session: bearerJwt({ … }), channels: { … } })`: a
 * generic call that returns a plain function type is set aside in TypeScript's first inference
 * pass, and the authorizers next to it would then see `ctx.user` as `Session`.
 *
 * @typeParam S - the session type.
 */
export type TypedSessionAdapter<S extends Session = Session> = SessionAdapter<S> & {
  readonly name: string
}
