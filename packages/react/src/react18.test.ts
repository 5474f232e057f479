// @vitest-environment node
import { expect, it } from 'vitest'
import { IDLE_STATE, readEverything } from './test/Everything.js'
import { loadReact18 } from './test/react18.js'

// The peer range starts at React 18.2: the every-hook tree renders on the server with React 18.3
// (the hooks bundled against react-18 / react-dom-18) and returns the idle state.
it('renders every hook to the idle state with React 18', async () => {
  const app = await loadReact18()
  expect(app.version).toMatch(/^18\./)
  expect(readEverything(app.renderEverything())).toEqual(IDLE_STATE)
})
