/**
 * Layering of the published packages (run by `pnpm lint`): a module imports only from its
 * own layer or the layers below it, and no modules import each other in a circle. Layers
 * sharing a rank sit side by side: neither may import the other. Tests, type tests,
 * conformance suites and fixtures may import anything.
 *
 * @presence/server, from the bottom:
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
 * @presence/client, from the bottom:
 *
 *   errors.ts, channel-map.ts   error codes and classes; the channel map's types
 *   options.ts, snapshots.ts,   the public types: options, store snapshots, the client interface
 *   types.ts
 *   store.ts, member-map.ts,    building blocks that know no channel: the store, the member map,
 *   endpoints.ts, ...           endpoint URLs, pusher-js internals, the state machine table,
 *                               schema validation, auth answers, handler tables, the outbox
 *   member-store.ts, ...        one concern each: a channel's members, the online view, one auth
 *                               request, token refresh, reconnection
 *   live-state.ts               a presence channel's live member state (over the store and outbox)
 *   authorizer.ts, sign-in.ts,  the batching authorizer, the connection's sign-in; the channel's
 *                               effects (side by side)
 *   channel-effects.ts
 *   channel.ts                  one channel: machine state, references, timers
 *   client.ts                   the client: the channel table, user, connection
 *   index.ts, core.ts           entry points
 *   tabs/protocol.ts, ...       sharing one connection between tabs: messages, election, the hub;
 *   tabs/shared-client.ts       the shared client; its entry (`@presence/client/tabs`) above every
 *   tabs/index.ts               other entry, so the main entry can never pull the sharing code in
 *
 * @presence/react, from the bottom:
 *
 *   react.ts, client.ts,        React and @presence/client as the package sees them; constants
 *   idle.ts, shallow.ts
 *   context.ts                  the provider's context
 *   usePresenceClient.ts,       reading the client and its stores
 *   useStore.ts
 *   use*.ts, PresenceProvider   the hooks (a hook may build on another) and the provider
 *   index.ts                    the entry point
 */
const NOT_CHECKED =
  '(\\.test|\\.test-d|\\.integration\\.test)\\.tsx?$|/conformance\\.ts$|/server-fixture\\.ts$|/src/test/'

/** A layer of files: `files` is a regular expression of names inside the package's src. */
const layer = (name, files, rank) => ({ name, files, rank })

const packages = [
  {
    name: 'server',
    layers: [
      layer('base', '(errors|timers|awaitable)\\.ts$'),
      layer('session', 'session/'),
      layer('cache', 'cache/', 1),
      layer('channel', 'channel/'),
      layer('signer', 'signer/'),
      layer('pipeline', 'pipeline/'),
      layer('webhook', 'webhook/', 4),
      layer('handlers', 'handlers/'),
      layer('http', 'http/'),
      layer('entry', '(?!(errors|timers|awaitable)\\.ts$)[^/]+\\.ts$'),
    ],
  },
  {
    name: 'client',
    layers: [
      layer('base', '(errors|channel-map)\\.ts$'),
      layer('types', '(options|snapshots|types)\\.ts$'),
      layer(
        'blocks',
        '(store|member-map|endpoints|pusher-internals|channel-machine|validate|auth-response|channel-handlers|outbox)\\.ts$',
      ),
      layer(
        'parts',
        '(member-store|online-store|auth-request|token-refresh|connection-recovery)\\.ts$',
      ),
      layer('live', 'live-state\\.ts$'),
      layer('authorizer', '(authorizer|sign-in)\\.ts$'),
      layer('effects', 'channel-effects\\.ts$', 5),
      layer('channel', 'channel\\.ts$'),
      layer('client', 'client\\.ts$'),
      layer('entry', '(index|core)\\.ts$'),
      layer('tabs', 'tabs/(protocol|election|hub)\\.ts$'),
      layer('tabs-client', 'tabs/shared-client\\.ts$'),
      layer('tabs-entry', 'tabs/index\\.ts$'),
    ],
  },
  {
    name: 'react',
    layers: [
      layer('base', '(react|client|idle|shallow)\\.ts$'),
      layer('context', 'context\\.ts$'),
      layer('access', '(usePresenceClient|useStore)\\.ts$'),
      layer('hooks', '((?!(usePresenceClient|useStore)\\.ts$)use[^/]*|PresenceProvider)\\.tsx?$'),
      layer('entry', 'index\\.ts$'),
    ],
  },
]

/** The rules of one package: one per layer (nothing from above), and no cycle. */
function rulesOf({ name: pkg, layers }) {
  const src = `^packages/${pkg}/src/`
  let rank = -1
  const ranked = layers.map((l) => {
    rank = l.rank ?? rank + 1
    return { ...l, rank, path: `${src}${l.files}` }
  })
  return [
    ...ranked.flatMap((l) => {
      const above = ranked.filter((other) => other !== l && other.rank >= l.rank)
      if (above.length === 0) return []
      return {
        name: pkg === 'server' ? `layer-${l.name}` : `${pkg}-layer-${l.name}`,
        comment: `${pkg}: ${l.name} imports only from its own layer or the layers below it (see .dependency-cruiser.cjs)`,
        severity: 'error',
        from: { path: l.path, pathNot: NOT_CHECKED },
        to: { path: above.map((other) => `(${other.path})`).join('|') },
      }
    }),
    {
      name: `${pkg}-unlayered`,
      comment: `every module of ${pkg} sits in a layer: add a new one to .dependency-cruiser.cjs`,
      severity: 'error',
      from: { path: src, pathNot: [NOT_CHECKED, ...ranked.map((l) => l.path)] },
      to: {},
    },
    {
      name: pkg === 'server' ? 'no-circular' : `${pkg}-no-circular`,
      comment: `modules of ${pkg} do not import each other in a circle`,
      severity: 'error',
      from: { path: src, pathNot: NOT_CHECKED },
      to: { circular: true },
    },
  ]
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: packages.flatMap(rulesOf),
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: NOT_CHECKED },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
}
