import { describe, expect, it } from 'vitest'
import { moveCheckNote } from '../typedoc-page-notes.mjs'

describe('moveCheckNote', () => {
  it('moves the italic note from the top of a page to an aside at its end', () => {
    const html = [
      '<h1>Scaling out</h1>',
      '<p><em>How this page is checked: its TypeScript blocks are type-checked.</em></p>',
      '<p>Intro.</p>',
      '<h2>Redis</h2>',
    ].join('\n')
    expect(moveCheckNote(html)).toBe(
      [
        '<h1>Scaling out</h1>',
        '<p>Intro.</p>',
        '<h2>Redis</h2>',
        '<aside class="page-check"><p><em>How this page is checked: its TypeScript blocks are type-checked.</em></p></aside>',
        '',
      ].join('\n'),
    )
  })

  it('moves a bold note spanning several lines', () => {
    const html =
      '<p><strong>How this page is checked:</strong> CI runs\nevery step.</p>\n<p>Body.</p>'
    expect(moveCheckNote(html)).toBe(
      '<p>Body.</p>\n<aside class="page-check"><p><strong>How this page is checked:</strong> CI runs\nevery step.</p></aside>\n',
    )
  })

  it('leaves other HTML alone', () => {
    const html = '<p>How this page is checked is explained in CONTRIBUTING.</p>'
    expect(moveCheckNote(html)).toBe(html)
  })
})
