/** One benchmark goal, with the ratio measured in the same run. */
export interface Goal {
  name: string
  target: string
  measured: string
  met: boolean
  note?: string
}

/** A section of docs/benchmarks.md. */
export interface Section {
  title: string
  command: string
  method: string
  table: string[][]
  /** More paragraphs (strings) and tables (rows) printed after the main table. */
  extra?: Array<string | string[][]>
  goals: Goal[]
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Formats a number with thousands separators and `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  })
}

/** Renders rows as a markdown table (first row is the header). */
export function markdownTable(rows: string[][]): string {
  const [head, ...body] = rows
  if (!head) return ''
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n')
}
