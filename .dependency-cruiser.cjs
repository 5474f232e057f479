/**
 * Layering of @presence/server (run by `pnpm lint`): a module imports only
 * from its own layer or the layers below it. From the bottom:
 *
 *   errors.ts, timers.ts,       the error type, the clock and the Awaitable type
 *   awaitable.ts
 *   session/, cache/            session and cache adapters (side by side, never importing each other)
 *   channel/                    names, patterns, definitions, registry
 *   signer/                     HMAC signatures in Pusher's format
 *   pipeline/, webhook/         the channel pipeline; webhook payloads and events (side by side)
 *   handlers/                   auth, batch, user auth, webhook: request → HTTP answer as plain values
 *   http/                       Fetch, Node and Express adapters, body reading, CORS
 *   index.ts, server.ts, ...    entry points and the server factory
 *
 * Tests, conformance suites and fixtures may import anything.
 */
const SRC = '^packages/server/src/'
const layers = [
  { name: 'base', path: `${SRC}(errors|timers|awaitable)\\.ts$` },
  { name: 'session', path: `${SRC}session/` },
  { name: 'cache', path: `${SRC}cache/`, rank: 1 },
  { name: 'channel', path: `${SRC}channel/` },
  { name: 'signer', path: `${SRC}signer/` },
  { name: 'pipeline', path: `${SRC}pipeline/` },
  { name: 'webhook', path: `${SRC}webhook/`, rank: 4 },
  { name: 'handlers', path: `${SRC}handlers/` },
  { name: 'http', path: `${SRC}http/` },
  { name: 'entry', path: `${SRC}(?!(errors|timers|awaitable)\\.ts$)[^/]+\\.ts$` },
]
// Layers sharing a rank sit side by side: neither may import the other.
let rank = -1
for (const layer of layers) {
  rank = layer.rank ?? rank + 1
  layer.rank = rank
}
const NOT_CHECKED =
  '(\\.test|\\.test-d|\\.integration\\.test)\\.ts$|/conformance\\.ts$|/server-fixture\\.ts$'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layers.flatMap((layer) => {
      const above = layers.filter((other) => other !== layer && other.rank >= layer.rank)
      if (above.length === 0) return []
      return {
        name: `layer-${layer.name}`,
        comment: `${layer.name} imports only from its own layer or the layers below it (see .dependency-cruiser.cjs)`,
        severity: 'error',
        from: { path: layer.path, pathNot: NOT_CHECKED },
        to: { path: above.map((other) => `(${other.path})`).join('|') },
      }
    }),
    {
      name: 'no-circular',
      comment: 'modules of the server do not import each other in a circle',
      severity: 'error',
      from: { path: SRC, pathNot: NOT_CHECKED },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: NOT_CHECKED },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
}
