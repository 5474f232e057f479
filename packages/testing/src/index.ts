/**
 * Test helpers shared by the @presence packages and examples. Private: never published.
 * @module
 */

export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from './chromium.js'
export { getFreePort, sleep, waitFor } from './ports.js'
export { type ManagedProcess, startProcess } from './process.js'
export { type RedisServer, startRedis } from './redis.js'
export { type StartServerOptions, startServer } from './server.js'
export { type SoketiOptions, type SoketiServer, type SoketiWebhook, startSoketi } from './soketi.js'
export { soketiChannelUsers } from './soketi-api.js'
