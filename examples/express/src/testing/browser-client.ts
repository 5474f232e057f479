/**
 * The browser side of `browser.integration.test.ts`: what a web front end of the
 * service loads. esbuild bundles it (pusher-js's browser builds included) into one
 * script, and the page finds `createPresenceClient` and `PusherWithEncryption` (the
 * browser build of pusher-js that decrypts `private-encrypted-` channels) on `window`.
 */
import { createPresenceClient } from '@presence/client'
import PusherWithEncryption from 'pusher-js/with-encryption'

Object.assign(globalThis, { createPresenceClient, PusherWithEncryption })
