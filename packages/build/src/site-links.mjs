// @ts-check
/**
 * Checks the links of a built static site (the typedoc site in `docs/api`): every relative
 * `href`/`src` of every HTML page, and every entry of typedoc's navigation (which the page builds
 * in the browser from `assets/navigation.js`), must name a file of the site and, when it has a
 * `#fragment`, an element with that `id` (or `name`) in it. Links to other sites are not fetched.
 * @module
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { inflateSync } from 'node:zlib'

/**
 * @typedef {{ from: string, link: string, problem: string }} BrokenLink
 * A link that leads nowhere: the page it is on (relative to the site), the link as written, and
 * what is wrong (`no such file`, `no anchor #x`, `outside the site`).
 */

/** Links that leave the site or do not navigate. */
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i

/** @param {string} text */
const decodeEntities = (text) =>
  text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')

/**
 * The HTML files of a folder, recursively, relative to it.
 * @param {string} dir
 * @returns {string[]}
 */
function htmlFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) return htmlFiles(path, base)
    return entry.endsWith('.html') ? [relative(base, path)] : []
  })
}

/**
 * The `href` and `src` values of an HTML text, entities decoded.
 * @param {string} html
 */
export function linksOf(html) {
  return [...html.matchAll(/\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((match) =>
    decodeEntities(match[1] ?? match[2] ?? ''),
  )
}

/**
 * The anchors (`id` and `name` values) of an HTML text.
 * @param {string} html
 * @returns {Set<string>}
 */
export function anchorsOf(html) {
  return new Set(
    [...html.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((match) =>
      decodeEntities(match[1] ?? match[2] ?? ''),
    ),
  )
}

/**
 * The paths of typedoc's navigation tree (`assets/navigation.js`: base64 of deflated JSON),
 * relative to the site; empty when the site has no such file.
 * @param {string} site
 * @returns {string[]}
 */
export function navigationPaths(site) {
  const file = join(site, 'assets/navigation.js')
  if (!existsSync(file)) return []
  const data = /"([A-Za-z0-9+/=]+)"/.exec(readFileSync(file, 'utf8'))?.[1]
  if (!data) throw new Error(`${file}: no navigation data found`)
  /** @type {Array<{ path?: string, children?: unknown[] }>} */
  const tree = JSON.parse(inflateSync(Buffer.from(data, 'base64')).toString('utf8'))
  /** @type {string[]} */
  const paths = []
  /** @param {Array<{ path?: string, children?: unknown[] }>} nodes */
  const walk = (nodes) => {
    for (const node of nodes) {
      if (node.path) paths.push(node.path)
      if (Array.isArray(node.children)) walk(/** @type {any} */ (node.children))
    }
  }
  walk(tree)
  return paths
}

/**
 * Every broken relative link of a built site.
 * @param {string} site - the site's folder (e.g. `docs/api`)
 * @returns {{ pages: number, links: number, broken: BrokenLink[] }}
 */
export function checkSiteLinks(site) {
  const root = resolve(site)
  /** @type {Map<string, Set<string>>} */
  const anchorCache = new Map()
  /** @param {string} file */
  const anchors = (file) => {
    let found = anchorCache.get(file)
    if (!found) {
      found = anchorsOf(readFileSync(file, 'utf8'))
      anchorCache.set(file, found)
    }
    return found
  }
  /** @type {BrokenLink[]} */
  const broken = []
  let links = 0
  /**
   * @param {string} from - the page, relative to the site
   * @param {string} link - as written
   * @param {string} base - the folder the link is relative to
   */
  const check = (from, link, base) => {
    if (link === '' || link === '#' || EXTERNAL.test(link)) return
    links++
    const [beforeHash = '', fragment] = link.split('#', 2)
    const pathPart = beforeHash.split('?', 1)[0] ?? ''
    let target = pathPart === '' ? join(root, from) : resolve(base, decodeURIComponent(pathPart))
    if (target !== root && !target.startsWith(root + sep)) {
      broken.push({ from, link, problem: 'outside the site' })
      return
    }
    if (existsSync(target) && statSync(target).isDirectory()) target = join(target, 'index.html')
    if (!existsSync(target)) {
      broken.push({ from, link, problem: 'no such file' })
      return
    }
    if (
      fragment &&
      target.endsWith('.html') &&
      !anchors(target).has(decodeURIComponent(fragment))
    ) {
      broken.push({ from, link, problem: `no anchor #${fragment}` })
    }
  }
  const pages = htmlFiles(root)
  for (const page of pages) {
    const html = readFileSync(join(root, page), 'utf8')
    for (const link of linksOf(html)) check(page, link, dirname(join(root, page)))
  }
  for (const path of navigationPaths(root)) check('assets/navigation.js', path, root)
  return { pages: pages.length, links, broken }
}
