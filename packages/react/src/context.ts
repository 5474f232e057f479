'use client'
import type { PresenceClient } from '@presence/client'
import { createContext } from './react.js'

/**
 * The client the hooks read: `undefined` outside a {@link PresenceProvider}, `null` while a
 * provider given `options` has not created its client yet (server rendering, first render).
 *
 * @internal
 */
export const PresenceContext = createContext<PresenceClient | null | undefined>(undefined)
