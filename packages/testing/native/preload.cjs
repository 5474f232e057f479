// Preloaded (`NODE_OPTIONS=--require …/preload.cjs`) when the test suite runs on a Node other
// than the one `pnpm install` compiled native addons for. better-sqlite3 is compiled against one
// Node ABI; `build-native.mjs` compiles it again for this Node into
// $PRESENCE_NATIVE_DIR/node-v<abi>/, and this hook loads that build instead. A no-op when the
// variable is unset or holds no build for this ABI (the machine's own Node).
const { existsSync } = require('node:fs')
const { basename, join } = require('node:path')

const dir = process.env.PRESENCE_NATIVE_DIR
if (dir) {
  const forThisAbi = join(dir, `node-v${process.versions.modules}`)
  const dlopen = process.dlopen
  process.dlopen = function dlopenForThisAbi(module, filename, ...rest) {
    const rebuilt = join(forThisAbi, basename(filename))
    return dlopen.call(this, module, existsSync(rebuilt) ? rebuilt : filename, ...rest)
  }
}
