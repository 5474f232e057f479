/** What the benchmark page is told by its server. */
export interface PageConfig {
  key: string
  count: number
  pusher: {
    wsHost: string
    wsPort: number
    forceTLS: false
    enabledTransports: ['ws']
    disableStats: true
    cluster: string
  }
}

/** The channels a page subscribes to: private, one per feature object, as on a busy page. */
export const CHANNELS = (count: number) =>
  Array.from({ length: count }, (_, i) => `private-widget@${i}`)

/** Publishes the result for the harness and closes the socket. */
export function report(ms: number, pusher: { disconnect(): void }, error?: string) {
  ;(window as unknown as { __RESULT: unknown }).__RESULT = { ms, error }
  pusher.disconnect()
}
