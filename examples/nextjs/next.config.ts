import type { NextConfig } from 'next'

/**
 * Nothing to configure: the app uses the @presence packages through their
 * published entry points (built `dist`), so `next build` (Turbopack) and
 * `next dev` work as in any Next.js app. `better-sqlite3` is a native module
 * that Next.js already keeps out of the server bundle.
 */
const nextConfig: NextConfig = {}

export default nextConfig
