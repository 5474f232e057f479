import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CHROMIUM_ARGS, CHROMIUM_PATH, startProcess } from '@presence/testing'

/** A Chromium started by {@link openPlainChromium}. */
export interface PlainChromium {
  /** Kills the browser and every process it started, then deletes its profile. */
  close(): Promise<void>
}

/**
 * Starts Debian's Chromium on `url` with a fresh profile and no DevTools
 * protocol attached: the browser a user has.
 *
 * Playwright (and any other DevTools client) turns on DevTools' network
 * instrumentation for the pages it drives: every HTTP request and websocket
 * frame is reported to the client. It is slow enough to skew a page that
 * measures milliseconds: the page-load benchmark's floor (10 public channels)
 * measured 6.8–8.5 ms with Playwright attached and 2.5–3.5 ms without it, in
 * the same tour of pages. A page that measures itself therefore runs in a
 * browser nobody drives, and sends its result to its own server.
 *
 * @param url - the page to open.
 * @returns the running browser; close it when the page has reported.
 */
export async function openPlainChromium(url: string): Promise<PlainChromium> {
  const profile = await mkdtemp(join(tmpdir(), 'presence-bench-chromium-'))
  // a process group of its own, never outliving the benchmark (see startProcess)
  const browser = startProcess(CHROMIUM_PATH, [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, url])
  await browser.commandPid
  return {
    async close() {
      await browser.stop(1000)
      await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 })
    },
  }
}
