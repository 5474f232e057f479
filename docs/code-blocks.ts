/**
 * Extracts the TypeScript code blocks of the guides and type-checks them against the
 * packages' sources, so a guide that drifts from the API fails the test suite.
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/** Repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** A fenced ```ts / ```tsx block of a markdown file. */
export interface CodeBlock {
  /** Markdown file, relative to the repository root. */
  file: string
  /** 1-based line of the opening fence. */
  line: number
  lang: 'ts' | 'tsx'
  code: string
  /**
   * The program the block is checked in: blocks marked ```ts program=<name> share a program of
   * their own (for module augmentations such as a channel map's `Register`, which would
   * otherwise reach every other block); unmarked blocks share the default one.
   */
  program?: string
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)([^\n]*)$/

/**
 * Finds the ```ts, ```typescript and ```tsx blocks of a markdown text. A block whose info string
 * contains `ignore` (```ts ignore) is skipped.
 * @param markdown - the file's text
 * @param file - its path, for reporting
 */
export function extractCodeBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split('\n')
  const blocks: CodeBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '')
    if (!open) continue
    const [, indent = '', fence = '', lang = '', rest = ''] = open
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const line = lines[j] ?? ''
      if (line.trim().startsWith(fence) && line.trim().replaceAll(fence[0] ?? '`', '') === '') break
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line)
    }
    const normalized = lang === 'typescript' ? 'ts' : lang
    if ((normalized === 'ts' || normalized === 'tsx') && !/\bignore\b/.test(rest)) {
      const program = /\bprogram=([\w-]+)/.exec(rest)?.[1]
      blocks.push({
        file,
        line: i + 1,
        lang: normalized,
        code: body.join('\n'),
        ...(program ? { program } : {}),
      })
    }
    i = j
  }
  return blocks
}

/** The public packages whose READMEs are checked too (the READMEs ship in their tarballs). */
const PUBLIC_PACKAGES = ['server', 'client', 'react'] as const

/** The checked markdown files: every guide (`docs/*.md`), the root README and the package READMEs. */
export function guideFiles(): string[] {
  const dir = join(repoRoot, 'docs')
  const guides = readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join('docs', name))
  const readmes = PUBLIC_PACKAGES.map((pkg) => join('packages', pkg, 'README.md'))
  return ['README.md', ...readmes, ...guides]
}

/**
 * `paths` entries mapping every public specifier (`@presence/server`, `@presence/server/session`,
 * ...) to its source file, read from the packages' exports maps (`source` condition).
 */
export function workspacePaths(): Record<string, string[]> {
  const paths: Record<string, string[]> = {}
  for (const pkg of ['server', 'client', 'react']) {
    const dir = join(repoRoot, 'packages', pkg)
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string
      exports?: Record<string, unknown>
    }
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const source = (target as { source?: unknown } | null)?.source
      if (typeof source !== 'string') continue
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`
      paths[specifier] = [join(dir, source)]
    }
  }
  return paths
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(repoRoot, 'tsconfig.base.json')
  const config = ts.readConfigFile(configPath, ts.sys.readFile)
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot)
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    moduleDetection: ts.ModuleDetectionKind.Force,
    paths: workspacePaths(),
  }
}

/** A block with the compiler's complaints about it (empty when it type-checks). */
export interface CheckedBlock {
  block: CodeBlock
  diagnostics: string[]
}

/**
 * Writes each block to its own module under `dir` (inside the repository, so third-party
 * imports resolve from its node_modules) and type-checks them with the base tsconfig's
 * options: the unmarked blocks in one program, the blocks of each `program=<name>` in one of
 * their own. Each block is a separate module: it must import or `declare`
 * what it uses.
 * @param blocks - the blocks to check
 * @param dir - scratch directory, removed afterwards
 */
export function typecheckBlocks(
  blocks: CodeBlock[],
  dir = join(repoRoot, 'docs', '.code-blocks'),
): CheckedBlock[] {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  try {
    const files = blocks.map((block, index) => {
      const stem = block.file.replace(/[^\w]+/g, '_')
      const path = join(dir, `${stem}_L${block.line}_${index}.${block.lang}`)
      writeFileSync(path, block.code)
      return path
    })
    const byFile = new Map(files.map((file, index) => [file, blocks[index] as CodeBlock]))
    const format = (diagnostic: ts.Diagnostic) => formatDiagnostic(diagnostic, byFile)
    // One program per `program=` name (the unmarked blocks share one), so a module augmentation
    // reaches only the blocks that ask for it.
    const groups = new Map<string, number[]>()
    blocks.forEach((block, index) => {
      const name = block.program ?? ''
      groups.set(name, [...(groups.get(name) ?? []), index])
    })
    const results: CheckedBlock[] = new Array(blocks.length)
    for (const indexes of groups.values()) {
      const program = ts.createProgram(
        indexes.map((index) => files[index] ?? ''),
        compilerOptions(),
      )
      const global = program.getGlobalDiagnostics().map(format)
      indexes.forEach((index, position) => {
        const block = blocks[index] as CodeBlock
        const source = program.getSourceFile(files[index] ?? '')
        const diagnostics = source
          ? [
              ...program.getSyntacticDiagnostics(source),
              ...program.getSemanticDiagnostics(source),
            ].map(format)
          : [`cannot read ${files[index]}`]
        results[index] = {
          block,
          diagnostics: position === 0 ? [...global, ...diagnostics] : diagnostics,
        }
      })
    }
    return results
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `docs/guide.md:61:5 TS2322: ...`: positions inside a block point into the markdown file. */
function formatDiagnostic(diagnostic: ts.Diagnostic, blocks: Map<string, CodeBlock>): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
  if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
  const block = blocks.get(diagnostic.file.fileName)
  const where = block
    ? `${block.file}:${block.line + line + 1}`
    : `${relative(repoRoot, diagnostic.file.fileName)}:${line + 1}`
  return `${where}:${character + 1} TS${diagnostic.code}: ${message}`
}
