import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { anchorsOf, checkSiteLinks, linksOf } from './site-links.mjs'

const sites: string[] = []
afterEach(() => {
  for (const site of sites.splice(0)) rmSync(site, { recursive: true, force: true })
})

/** A site folder with the given files. */
function site(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'site-links-'))
  sites.push(dir)
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    writeFileSync(join(dir, file), text)
  }
  return dir
}

/** typedoc's `assets/navigation.js`: the tree as base64 of deflated JSON. */
const navigation = (tree: unknown) =>
  `window.navigationData = "${deflateSync(JSON.stringify(tree)).toString('base64')}"`

describe('checkSiteLinks', () => {
  it('accepts relative links to existing pages and anchors, and skips other sites', () => {
    const dir = site({
      'index.html': `<a href="documents/Guide.html#step-2">Guide</a>
        <a href="#top">top</a><h1 id="top">Home</h1>
        <a href="https://example.com/missing">out</a><a href="mailto:a@b.c">mail</a>
        <link href="assets/style.css"><script src="assets/navigation.js"></script>`,
      'documents/Guide.html': `<a href="../index.html">home</a><h2 id="step-2">Step 2</h2>`,
      'assets/style.css': '',
      'assets/navigation.js': navigation([
        { text: 'Guide', path: 'documents/Guide.html', children: [{ path: 'index.html#top' }] },
      ]),
    })
    const result = checkSiteLinks(dir)
    expect(result.broken).toEqual([])
    expect(result.pages).toBe(2)
    expect(result.links).toBe(7)
  })

  it('reports missing files, missing anchors, links out of the site and broken navigation', () => {
    const dir = site({
      'index.html': `<a href="documents/Gone.html">gone</a>
        <a href="documents/Guide.html#no-such-step">step</a>
        <a href="../../etc/passwd">out</a>`,
      'documents/Guide.html': '<h2 id="step-1">Step 1</h2>',
      'assets/navigation.js': navigation([{ path: 'modules/Missing.html' }]),
    })
    expect(checkSiteLinks(dir).broken).toEqual([
      { from: 'index.html', link: 'documents/Gone.html', problem: 'no such file' },
      {
        from: 'index.html',
        link: 'documents/Guide.html#no-such-step',
        problem: 'no anchor #no-such-step',
      },
      { from: 'index.html', link: '../../etc/passwd', problem: 'outside the site' },
      { from: 'assets/navigation.js', link: 'modules/Missing.html', problem: 'no such file' },
    ])
  })
})

describe('linksOf and anchorsOf', () => {
  it('read both quote styles and decode entities', () => {
    expect(linksOf(`<a href='a.html?x=1&amp;y=2'></a><img src="b.png">`)).toEqual([
      'a.html?x=1&y=2',
      'b.png',
    ])
    expect([...anchorsOf(`<a name="x"></a><h2 id='y'></h2>`)]).toEqual(['x', 'y'])
  })
})
