/**
 * The browser side of `browser.integration.test.ts`: what a web front end of the
 * service loads. esbuild bundles it (pusher-js's browser build included) into one
 * script, and the page finds `createPresenceClient` on `window`.
 */
import { createPresenceClient } from '@presence/client'

Object.assign(globalThis, { createPresenceClient })
