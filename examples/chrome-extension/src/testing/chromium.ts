/// <reference types="chrome" />
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@presence/testing'
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core'

/** Chromium with one unpacked extension loaded, and its service worker. */
export interface ExtensionBrowser {
  readonly context: BrowserContext
  /** The extension's MV3 service worker (evaluate `chrome.*` calls in it). */
  readonly serviceWorker: Worker
  /** The id Chromium gave the extension (from the service worker's URL). */
  readonly extensionId: string
  /** Opens an extension page (e.g. `popup.html`) in a tab. */
  openPage(path: string): Promise<Page>
  /** `chrome.storage.local.set(items)`, run in an extension page (works while the worker is stopped). */
  setStorage(items: Record<string, unknown>): Promise<void>
  /** `chrome.storage.local.remove(keys)`, run in an extension page. */
  removeStorage(keys: string[]): Promise<void>
  /** Stops the service worker the way Chrome does when it is idle (CDP `ServiceWorker.stopAllWorkers`). */
  stopServiceWorker(): Promise<void>
  /** Resolves once the extension's service worker is running again. */
  serviceWorkerRunning(timeoutMs?: number): Promise<void>
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
      ...CHROMIUM_ARGS,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
  })
  try {
    const serviceWorker =
      context.serviceWorkers()[0] ??
      (await context.waitForEvent('serviceworker', { timeout: 20_000 }))
    const extensionId = new URL(serviceWorker.url()).host
    // A blank extension page: chrome.storage from outside the worker, and a CDP session to
    // watch and stop the worker (Playwright's Worker handle does not notice a stopped worker).
    const control = await context.newPage()
    await control.goto(`chrome-extension://${extensionId}/manifest.json`)
    const cdp = await context.newCDPSession(control)
    let status = 'running'
    const statusListeners = new Set<() => void>()
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      const ours = versions.filter((version) => version.scriptURL.includes(extensionId))
      const latest = ours.at(-1)
      if (!latest) return
      status = latest.runningStatus
      for (const listener of statusListeners) listener()
    })
    await cdp.send('ServiceWorker.enable')
    const statusBecomes = (wanted: string, timeoutMs: number) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (status !== wanted) return
          statusListeners.delete(check)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(() => {
          statusListeners.delete(check)
          reject(
            new Error(`the service worker did not become ${wanted} in ${timeoutMs} ms (${status})`),
          )
        }, timeoutMs)
        statusListeners.add(check)
        check()
      })
    return {
      context,
      serviceWorker,
      extensionId,
      async openPage(path) {
        const page = await context.newPage()
        await page.goto(`chrome-extension://${extensionId}/${path}`)
        return page
      },
      setStorage: (items) => control.evaluate((values) => chrome.storage.local.set(values), items),
      removeStorage: (keys) =>
        control.evaluate((names) => chrome.storage.local.remove(names), keys),
      async stopServiceWorker() {
        await cdp.send('ServiceWorker.stopAllWorkers')
        await statusBecomes('stopped', 10_000)
      },
      serviceWorkerRunning: (timeoutMs = 20_000) => statusBecomes('running', timeoutMs),
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
