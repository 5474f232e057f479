/**
 * `@presence/server/node`: serve a presence handler with Node's plain `http`.
 * @module
 */
export { type NodeHandler, toNodeHandler } from './http/node.js'
