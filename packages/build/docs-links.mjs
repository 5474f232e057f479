#!/usr/bin/env node
// @ts-check
/**
 * `pnpm docs:links` (after `pnpm run docs`): checks every relative link and anchor of the built
 * typedoc site in `docs/api`, its navigation included (`src/site-links.mjs`). Prints each broken
 * link and exits 1 if there is any.
 * @module
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { checkSiteLinks } from './src/site-links.mjs'
import { repoRoot } from './src/workspace.mjs'

const site = join(repoRoot, 'docs/api')
if (!existsSync(join(site, 'index.html'))) {
  console.log(`docs:links: ${site}/index.html not found: run \`pnpm run docs\` first`)
  process.exit(1)
}
const { pages, links, broken } = checkSiteLinks(site)
for (const { from, link, problem } of broken) console.log(`BROKEN ${from}: ${link} (${problem})`)
console.log(`docs:links: ${pages} page(s), ${links} relative link(s), ${broken.length} broken`)
process.exit(broken.length === 0 ? 0 : 1)
