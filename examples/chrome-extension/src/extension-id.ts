import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

/**
 * Chrome's extension id for a manifest `key`: the first 128 bits of SHA-256 over the DER public
 * key, written in hex with the digits 0-f mapped to the letters a-p.
 *
 * @param base64Key - the manifest's `key` field (base64 DER SubjectPublicKeyInfo)
 * @returns the 32-letter id, as in `chrome-extension://<id>/`
 */
export function extensionIdFromKey(base64Key: string): string {
  const digest = createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('hex')
  return [...digest.slice(0, 32)]
    .map((digit) => String.fromCharCode('a'.charCodeAt(0) + Number.parseInt(digit, 16)))
    .join('')
}

const manifest = JSON.parse(
  readFileSync(new URL('../extension/manifest.json', import.meta.url), 'utf8'),
) as { key: string }

/** This extension's id, stable because `manifest.json` carries a fixed `key`. */
export const EXTENSION_ID = extensionIdFromKey(manifest.key)

/** The origin the extension's requests carry, the one CORS allows. */
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`
