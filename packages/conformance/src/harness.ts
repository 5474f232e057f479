/**
 * A runner small enough to run anywhere (Node, Bun, Deno, workerd): named
 * async cases, a few assertions, a time limit per case, a plain JSON result.
 * vitest does not run inside workerd, so the suite does not depend on it.
 * @module
 */

/** One case: a name users can read and a function that throws on failure. */
export interface Case {
  name: string
  run: () => Promise<void> | void
}

/** The outcome of a run, as printed by the runtime and read by the runner. */
export interface SuiteResult {
  runtime: string
  version: string
  passed: number
  failed: number
  failures: Array<{ name: string; error: string }>
  /** Names of the cases that passed (the feature table cites them). */
  passedNames: string[]
}

/** Thrown by the assertions below. */
export class AssertionFailed extends Error {
  override name = 'AssertionFailed'
}

/** Fails unless `actual === expected` (strings compared byte for byte). */
export function equal<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) {
    throw new AssertionFailed(
      `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    )
  }
}

/** Fails unless both values serialize to the same JSON (key order included). */
export function sameJson(actual: unknown, expected: unknown, what: string): void {
  equal(JSON.stringify(actual), JSON.stringify(expected), what)
}

/** Fails unless `condition` holds. */
export function ok(condition: unknown, what: string): asserts condition {
  if (!condition) throw new AssertionFailed(what)
}

/** Fails unless `run` throws (or rejects) with an error whose `code` is `code`. */
export async function rejectsWith(run: () => unknown, code: string, what: string): Promise<void> {
  try {
    await run()
  } catch (error) {
    equal((error as { code?: unknown }).code, code, `${what} (error code)`)
    return
  }
  throw new AssertionFailed(`${what}: expected an error with code ${code}, nothing was thrown`)
}

const describeError = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)

/**
 * Runs the cases one after the other, each within `limitMs`.
 * @param runtime - name printed in the result, e.g. `bun`.
 * @param version - the runtime's version.
 * @param cases - the cases.
 * @param limitMs - time limit of one case. @default 10000
 */
export async function runCases(
  runtime: string,
  version: string,
  cases: Case[],
  limitMs = 10_000,
): Promise<SuiteResult> {
  const result: SuiteResult = {
    runtime,
    version,
    passed: 0,
    failed: 0,
    failures: [],
    passedNames: [],
  }
  for (const item of cases) {
    let timer: ReturnType<typeof setTimeout> | undefined
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AssertionFailed(`did not finish within ${limitMs} ms`)),
        limitMs,
      )
    })
    try {
      await Promise.race([Promise.resolve().then(item.run), limit])
      result.passed++
      result.passedNames.push(item.name)
    } catch (error) {
      result.failed++
      result.failures.push({ name: item.name, error: describeError(error) })
    } finally {
      clearTimeout(timer)
    }
  }
  return result
}
