/**
 * `@presence/server/express`: mount a presence handler on Express 5.
 * @module
 */
export { type ExpressHandler, type ExpressRequestLike, toExpress } from './http/express.js'
