/// <reference types="chrome" />
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core'

/** Debian's Chromium; never a browser download. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Chromium with one unpacked extension loaded, and its service worker. */
export interface ExtensionBrowser {
  readonly context: BrowserContext
  /** The extension's MV3 service worker (evaluate `chrome.*` calls in it). */
  readonly serviceWorker: Worker
  /** The id Chromium gave the extension (from the service worker's URL). */
  readonly extensionId: string
  /** Opens an extension page (e.g. `popup.html`) in a tab. */
  openPage(path: string): Promise<Page>
  /** `chrome.storage.local.set(items)`, run in the service worker. */
  setStorage(items: Record<string, unknown>): Promise<void>
  /** `chrome.storage.local.remove(keys)`, run in the service worker. */
  removeStorage(keys: string[]): Promise<void>
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>
}

/**
 * Launches Chromium in new headless mode (the only headless mode that runs extensions) with
 * `extensionDir` loaded unpacked, in a throwaway profile, and waits for its service worker.
 *
 * @param extensionDir - a folder holding `manifest.json`
 * @example
 * const browser = await launchWithExtension(await buildExtension({ outDir }))
 * await browser.setStorage({ accessToken })
 * await browser.close()
 */
export async function launchWithExtension(extensionDir: string): Promise<ExtensionBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'presence-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: false,
    args: [
      '--headless=new',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  })
  try {
    const serviceWorker =
      context.serviceWorkers()[0] ??
      (await context.waitForEvent('serviceworker', { timeout: 20_000 }))
    const extensionId = new URL(serviceWorker.url()).host
    return {
      context,
      serviceWorker,
      extensionId,
      async openPage(path) {
        const page = await context.newPage()
        await page.goto(`chrome-extension://${extensionId}/${path}`)
        return page
      },
      setStorage: (items) =>
        serviceWorker.evaluate((values) => chrome.storage.local.set(values), items),
      removeStorage: (keys) =>
        serviceWorker.evaluate((names) => chrome.storage.local.remove(names), keys),
      async close() {
        await context.close()
        await rm(profile, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await context.close()
    await rm(profile, { recursive: true, force: true })
    throw error
  }
}
