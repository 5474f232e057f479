// Minimal types for the autocannon API the benchmark uses (the package ships none).
declare module 'autocannon' {
  interface Options {
    url: string
    method?: string
    connections?: number
    duration?: number
    amount?: number
    headers?: Record<string, string>
    body?: string
  }
  interface Result {
    requests: { average: number; total: number }
    non2xx: number
    errors: number
  }
  export default function autocannon(options: Options): Promise<Result>
}
