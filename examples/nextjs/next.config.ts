import type { NextConfig } from 'next'

/**
 * The @presence packages are compiled from their TypeScript sources through
 * the workspace's `source` export condition, so the example needs no package
 * build. Turbopack has no custom export conditions, so this app builds with
 * webpack (`next build --webpack`), which has them.
 */
const nextConfig: NextConfig = {
  transpilePackages: ['@presence/server', '@presence/client', '@presence/react'],
  webpack(config: {
    resolve: { conditionNames?: string[]; extensionAlias?: Record<string, string[]> }
  }) {
    config.resolve.conditionNames = ['source', ...(config.resolve.conditionNames ?? ['...'])]
    // The packages' sources import './x.js' for './x.ts' (TypeScript's Bundler resolution).
    config.resolve.extensionAlias = {
      ...config.resolve.extensionAlias,
      '.js': ['.ts', '.tsx', '.js'],
    }
    return config
  },
}

export default nextConfig
