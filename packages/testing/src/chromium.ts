import type { Browser, LaunchOptions } from 'playwright-core'

/** Debian's Chromium (never a downloaded browser); `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Flags every test browser starts with: new headless mode, no sandbox (root in CI),
 * and no background networking, which this machine's closed network refuses.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
]

/**
 * Launches Debian's Chromium through playwright-core with {@link CHROMIUM_ARGS}
 * (plus `options.args`). playwright-core is loaded on first use only.
 *
 * @example
 * const browser = await launchChromium()
 * const page = await browser.newPage()
 * await browser.close()
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  return chromium.launch({
    ...options,
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  })
}
