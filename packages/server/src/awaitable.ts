/**
 * A value, or a promise of it: what an authorizer, a session adapter or a signer
 * may return (a signer is synchronous with `node:crypto`, asynchronous with Web Crypto).
 */
export type Awaitable<T> = T | Promise<T>
