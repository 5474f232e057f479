/**
 * The part of `@presence/server`'s authorizer context the features read.
 * @internal
 */
export interface FeatureContext {
  user: { userId: string } | null
  params: Record<string, string>
  channel: { name: string; type: string; feature: string; objectId?: string | undefined }
}
