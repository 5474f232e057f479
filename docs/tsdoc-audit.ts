/**
 * Checks the TSDoc of the public API beyond what typedoc validates: factories, adapters and
 * hooks carry an `@example`, and every optional property of an `*Options` interface says its
 * `@default` (STYLE.md, "TSDoc where users read it").
 * @module
 */
import { join, relative } from 'node:path'
import ts from 'typescript'
import { repoRoot, workspacePaths } from './code-blocks.js'

/** Exported functions that need an `@example`: factories, adapters, hooks and the provider. */
export function needsExample(name: string, specifier: string): boolean {
  if (/^(create|use|to)[A-Z]/.test(name) || name === 'PresenceProvider') return true
  // every function of the adapter entry points is an adapter factory
  return /\/(session|cache)$/.test(specifier)
}

/**
 * The TSDoc problems of the given entry points (every public entry point by default), as
 * `<specifier>: <name>: <problem>` lines; empty when the API is documented.
 * @param entries - import specifier → source file
 */
export function auditTsdoc(
  entries: Record<string, string> = Object.fromEntries(
    Object.entries(workspacePaths()).map(([specifier, [file]]) => [specifier, file ?? '']),
  ),
): string[] {
  const config = ts.readConfigFile(join(repoRoot, 'tsconfig.base.json'), ts.sys.readFile)
  const options = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot).options
  const program = ts.createProgram(Object.values(entries), { ...options, noEmit: true })
  const checker = program.getTypeChecker()
  const problems = new Set<string>()
  for (const [specifier, file] of Object.entries(entries)) {
    const source = program.getSourceFile(file)
    const module = source && checker.getSymbolAtLocation(source)
    if (!module) {
      problems.add(`${specifier}: cannot read ${relative(repoRoot, file)}`)
      continue
    }
    for (const exported of checker.getExportsOfModule(module)) {
      const name = exported.getName()
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
      const tags = symbol.getJsDocTags(checker).map((tag) => tag.name)
      if (tags.includes('internal')) continue
      if (symbol.flags & ts.SymbolFlags.Function && needsExample(name, specifier)) {
        if (!tags.includes('example')) problems.add(`${specifier}: ${name}: no @example`)
      }
      if (symbol.flags & ts.SymbolFlags.Interface && /Options$/.test(name)) {
        for (const property of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) {
          if (!(property.flags & ts.SymbolFlags.Optional)) continue
          const propertyTags = property.getJsDocTags(checker).map((tag) => tag.name)
          if (!propertyTags.includes('default')) {
            problems.add(`${specifier}: ${name}.${property.getName()}: optional, no @default`)
          }
        }
      }
    }
  }
  return [...problems].sort()
}
