#!/usr/bin/env node
// @ts-check
/**
 * `pnpm docs:screenshot` (after `pnpm run docs`): opens the built typedoc site in headless Chromium
 * (/usr/bin/chromium through playwright-core), checks that the landing page, every package
 * module page and every guide render (a heading, the navigation, no page errors), saves the
 * landing page at desktop and phone width to `docs/images/` (committed, shown in the README) and
 * the Getting started guide to `.artifacts/docs/`. Exits 1 if a page is missing or broken.
 * @module
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { repoRoot } from './src/workspace.mjs'

const site = join(repoRoot, 'docs/api')
const out = join(repoRoot, '.artifacts/docs')
const images = join(repoRoot, 'docs/images')
/** The landing page's screenshots: file name and viewport (CSS pixels). */
const landingShots = [
  { file: 'landing-desktop.png', viewport: { width: 1280, height: 900 }, isMobile: false },
  { file: 'landing-phone.png', viewport: { width: 390, height: 844 }, isMobile: true },
]
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

if (!existsSync(join(site, 'index.html'))) {
  console.log(`docs:screenshot: ${site}/index.html not found: run \`pnpm docs\` first`)
  process.exit(1)
}
mkdirSync(out, { recursive: true })
mkdirSync(images, { recursive: true })

/** @param {string} dir */
const htmlIn = (dir) =>
  existsSync(join(site, dir))
    ? readdirSync(join(site, dir))
        .filter((f) => f.endsWith('.html'))
        .map((f) => `${dir}/${f}`)
    : []
const modules = htmlIn('modules')
const guides = htmlIn('documents')
/** @type {string[]} */
const problems = []
if (modules.length === 0) problems.push('no module pages in docs/api/modules')
if (guides.length === 0) problems.push('no guide pages in docs/api/documents')
const gettingStarted = guides.find((g) => /getting[_-]started/i.test(g)) ?? guides[0]

const browser = await chromium.launch({
  executablePath,
  args: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
  ],
})
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  /** @type {string[]} */
  let pageErrors = []
  page.on('pageerror', (error) => pageErrors.push(error.message))

  for (const rel of ['index.html', ...modules, ...guides]) {
    pageErrors = []
    await page.goto(pathToFileURL(join(site, rel)).href, { waitUntil: 'load' })
    const heading = (await page.locator('h1, h2').first().textContent({ timeout: 5000 }))?.trim()
    const navLinks = await page.locator('nav a, .tsd-navigation a').count()
    const title = await page.title()
    const ok = Boolean(heading) && navLinks > 0 && pageErrors.length === 0
    if (!ok) {
      problems.push(`${rel}: heading=${heading} nav links=${navLinks} errors=${pageErrors}`)
    }
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${rel} — ${title}`)
    if (rel === gettingStarted) {
      const file = join(out, 'guide.png')
      await page.screenshot({ path: file, fullPage: false })
      console.log(`     screenshot: ${file}`)
    }
  }
  await page.close()
  for (const { file, viewport, isMobile } of landingShots) {
    // light theme, whatever the machine prefers, so the committed images stay comparable
    const context = await browser.newContext({
      viewport,
      isMobile,
      deviceScaleFactor: 1,
      colorScheme: 'light',
    })
    const shot = await context.newPage()
    await shot.goto(pathToFileURL(join(site, 'index.html')).href, { waitUntil: 'load' })
    await shot.locator('h1').first().waitFor({ timeout: 5000 })
    await shot.screenshot({ path: join(images, file), fullPage: false })
    console.log(`     screenshot: ${join(images, file)}`)
    await context.close()
  }
} finally {
  await browser.close()
}

for (const problem of problems) console.log(`FAIL ${problem}`)
console.log(
  `docs:screenshot: ${modules.length} module page(s), ${guides.length} guide(s), ${problems.length} problem(s)`,
)
process.exit(problems.length === 0 ? 0 : 1)
