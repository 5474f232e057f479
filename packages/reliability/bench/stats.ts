/**
 * Spread of a sample and the machine's load: what every benchmark reports
 * next to its median, so a reader can tell a real difference from noise.
 */
import { cpus, loadavg } from 'node:os'

/** The `q`-quantile (0–1) of `values`, linear between the two nearest ranks. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

/** Median and interquartile range of a sample. */
export interface Spread {
  median: number
  q1: number
  q3: number
  /** `q3 - q1`. */
  iqr: number
  n: number
}

/** The median and the interquartile range of `values`. */
export function spread(values: number[]): Spread {
  const q1 = quantile(values, 0.25)
  const q3 = quantile(values, 0.75)
  return { median: quantile(values, 0.5), q1, q3, iqr: q3 - q1, n: values.length }
}

/** `12.3 (IQR 11.0–14.1)`: a median with its interquartile range. */
export function fmtSpread(s: Spread, digits = 1): string {
  const f = (v: number) =>
    v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
  return `${f(s.median)} (IQR ${f(s.q1)}–${f(s.q3)})`
}

/** The 1-minute load average per core at which a run is marked busy. */
export const BUSY_LOAD_PER_CORE = 0.7

/** The 1-, 5- and 15-minute load averages, with whether the machine counts as busy. */
export interface LoadSample {
  load: [number, number, number]
  cores: number
  busy: boolean
}

/**
 * Reads the load average now. A run is busy when the 1-minute load exceeds
 * {@link BUSY_LOAD_PER_CORE} per core: other processes then compete for the
 * CPU and every timing, ratios included, is noisier than on a quiet machine.
 */
export function sampleLoad(): LoadSample {
  const [a = 0, b = 0, c = 0] = loadavg()
  const cores = cpus().length
  return { load: [a, b, c], cores, busy: a > BUSY_LOAD_PER_CORE * cores }
}

/** `1.42, 0.83, 0.36` */
export function fmtLoad(s: LoadSample): string {
  return s.load.map((l) => l.toFixed(2)).join(', ')
}
