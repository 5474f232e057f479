import type { ExtensionConfig } from '../shared/protocol.js'

declare const __PRESENCE_DEFAULT_CONFIG__: ExtensionConfig

/**
 * The configuration baked in at build time (`scripts/build-extension.ts`), overridden
 * field by field by `chrome.storage.local.config`.
 */
export const DEFAULT_CONFIG: ExtensionConfig = __PRESENCE_DEFAULT_CONFIG__

/** Merges stored overrides over the defaults, ignoring fields of the wrong type. */
export function resolveConfig(stored: unknown): ExtensionConfig {
  const config = { ...DEFAULT_CONFIG }
  if (!stored || typeof stored !== 'object') return config
  const overrides = stored as Record<string, unknown>
  for (const key of Object.keys(config) as Array<keyof ExtensionConfig>) {
    const value = overrides[key]
    if (typeof value === typeof config[key]) Object.assign(config, { [key]: value })
  }
  return config
}
