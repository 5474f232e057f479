/**
 * `pnpm size`: the size budgets, gated. Builds `@presence/client` and
 * `@presence/react` as `bundle.ts` does (esbuild, minified, ESM, es2022,
 * `NODE_ENV=production`, pusher-js and frameworks external, gzip level 9),
 * prints each size against its budget and exits non-zero when one is over.
 * `.ci/run` runs it.
 */
import { BUDGETED, bundleSize } from './bundle.js'
import { fmt } from './report.js'

let over = 0
for (const target of BUDGETED) {
  const { min, gz } = await bundleSize(target)
  const budget = target.budget ?? Number.POSITIVE_INFINITY
  const verdict = gz <= budget ? 'within budget' : 'OVER BUDGET'
  if (gz > budget) over++
  console.log(
    `${target.name.replaceAll('`', '')}: ${fmt(min)} B minified, ${fmt(gz)} B min+gzip, budget ${fmt(budget)} B (${((gz / budget) * 100).toFixed(0)} %): ${verdict}`,
  )
}
if (over > 0) {
  console.error(`${over} package(s) over their size budget`)
  process.exitCode = 1
}
