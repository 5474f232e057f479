/**
 * `pnpm --filter @presence/example-chrome-extension build`: builds the unpacked extension in
 * place (`extension/dist/`), ready for chrome://extensions → "Load unpacked" → `extension/`.
 */
import { buildExtension } from '../src/build.js'
import { EXTENSION_ID } from '../src/extension-id.js'

const dir = await buildExtension()
console.log(`built ${dir} (extension id ${EXTENSION_ID})`)
