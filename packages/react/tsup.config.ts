import { readFile, writeFile } from 'node:fs/promises'
import { presenceTsup } from '../build/tsup.js'

const DIRECTIVE = "'use client';\n"

/**
 * Every export is a hook or the provider (or `shallow`, used with them), so the whole bundle is
 * a client module: React Server Components then treat its exports as client references and
 * never run them on the server. Bundling drops the per-file directives (and tsup's tree-shaking
 * pass drops a `banner`), so the directive is put back on the built files, with their source
 * maps shifted by the added line.
 */
async function addUseClient() {
  for (const file of ['dist/index.js', 'dist/index.cjs']) {
    const code = await readFile(file, 'utf8')
    if (code.startsWith(DIRECTIVE)) continue
    await writeFile(file, DIRECTIVE + code)
    const map = JSON.parse(await readFile(`${file}.map`, 'utf8')) as { mappings: string }
    map.mappings = `;${map.mappings}`
    await writeFile(`${file}.map`, JSON.stringify(map))
  }
}

export default presenceTsup({ index: 'src/index.ts' }, { onSuccess: addUseClient })
