// @ts-check
/**
 * A typedoc plugin: names each entry-point module after the import specifier users write
 * (`@presence/server`, `@presence/server/session`, ...) instead of its path (`server/src`).
 * The name is derived from the package's `exports` map: the subpath whose `source` condition
 * points at the entry file. Loaded from typedoc.json (`plugin`).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { Converter, ReflectionKind } from 'typedoc'

/**
 * The public import specifier of a source file, from the nearest package.json's exports map.
 * @param {string} file - absolute path of a TypeScript entry file
 * @returns {string | undefined}
 */
export function importSpecifierOf(file) {
  let dir = dirname(file)
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const rel = `./${relative(dir, file).split('\\').join('/')}`
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (target && typeof target === 'object' && target.source === rel) {
      return subpath === '.' ? manifest.name : `${manifest.name}/${subpath.replace(/^\.\//, '')}`
    }
  }
  return undefined
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return
    const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile()
    const name = file && importSpecifierOf(file.fileName)
    if (name) reflection.name = name
  })
}
