// @ts-check
/**
 * A typedoc plugin: on the docs site, a page's "How this page is checked" note (how its code
 * blocks are verified, for contributors) moves from the top of the page to its end, in a muted
 * footnote (`.page-check` in docs/theme.css), so readers start with the content. The markdown
 * files keep the note where contributors see it first. Loaded from typedoc.json (`plugin`).
 * @module
 */
import { MarkdownEvent } from 'typedoc'

/** The rendered note: a paragraph opening with "How this page is checked" in italics or bold. */
const NOTE = /<p>(?:<em>|<strong>)How this page is checked\b[\s\S]*?<\/p>\n?/

/**
 * Moves the "How this page is checked" paragraph of a rendered page to its end, in an
 * `<aside class="page-check">`; other HTML is returned unchanged.
 * @param {string} html - the page's HTML, as typedoc's markdown renderer produced it
 * @returns {string}
 */
export function moveCheckNote(html) {
  const match = NOTE.exec(html)
  if (!match) return html
  const rest = html.slice(0, match.index) + html.slice(match.index + match[0].length)
  return `${rest.trimEnd()}\n<aside class="page-check">${match[0].trimEnd()}</aside>\n`
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  // after typedoc's own listener (priority 0), which turns the markdown into HTML
  app.renderer.on(
    MarkdownEvent.PARSE,
    (event) => {
      event.parsedText = moveCheckNote(event.parsedText)
    },
    -100,
  )
}
