import { presenceTsup } from '../build/tsup.js'

export default presenceTsup({
  index: 'src/index.ts',
  core: 'src/core.ts',
  tabs: 'src/tabs/index.ts',
})
