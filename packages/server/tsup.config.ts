import { presenceTsup } from '../build/tsup.js'

export default presenceTsup({
  index: 'src/index.ts',
  session: 'src/session/index.ts',
  'session/auth-js': 'src/session/auth-js.ts',
  'session/next-auth': 'src/session/next-auth.ts',
  cache: 'src/cache/index.ts',
  express: 'src/express.ts',
  node: 'src/node.ts',
})
