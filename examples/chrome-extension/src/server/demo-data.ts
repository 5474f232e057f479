import type { Auth } from './auth.js'
import type { ExampleDatabase } from './db.js'

/**
 * The demo's accounts and work sessions, created in demo mode only (`pnpm dev`): a production
 * start never creates them, so this published password signs nobody in there.
 */
export const DEMO = {
  /** The password of every demo account. Public: never use it outside demo mode. */
  password: 'presence-demo',
  users: {
    alice: { email: 'alice@example.com', name: 'Alice' },
    bob: { email: 'bob@example.com', name: 'Bob' },
    carol: { email: 'carol@example.com', name: 'Carol' },
  },
  organization: { name: 'Acme', slug: 'acme' },
  sessions: {
    /** Alice's session in her organization: the one that works. */
    alice: 'sess-alice',
    /** Bob's session in the same organization: Alice gets `USER_MISMATCH` (she may still poll it). */
    bob: 'sess-bob',
    /** Carol's session in her personal tenant: Alice gets `SESSION_NOT_FOUND`. */
    carol: 'sess-carol',
    /**
     * The original app's bug on purpose: Alice's own session, stored in her user tenant
     * (`user:<userId>`) while her auth resolves to her organization, so the tenant-scoped lookup
     * misses it (`SESSION_NOT_FOUND`).
     */
    alicePersonal: 'sess-alice-personal',
  },
} as const

/** The ids better-auth gave the demo's users and organization. */
export interface DemoIds {
  users: Record<keyof typeof DEMO.users, string>
  organization: string
}

/** The demo's ids when the demo data exists already, else `null`. */
function existingDemo(db: ExampleDatabase): DemoIds | null {
  const idOf = (email: string) =>
    (
      db.sqlite.prepare('select id from "user" where email = ?').get(email) as
        | { id: string }
        | undefined
    )?.id
  const organization = (
    db.sqlite.prepare('select id from organization where slug = ?').get(DEMO.organization.slug) as
      | { id: string }
      | undefined
  )?.id
  const alice = idOf(DEMO.users.alice.email)
  const bob = idOf(DEMO.users.bob.email)
  const carol = idOf(DEMO.users.carol.email)
  if (!organization || !alice || !bob || !carol) return null
  return { users: { alice, bob, carol }, organization }
}

/**
 * Creates the demo once (a second call finds it and returns its ids): Alice and Bob in
 * organization Acme, Carol without an organization (her tenant is her user id), each signed up
 * through better-auth with {@link DEMO}'s password, and one work session for each case of the
 * original app's checklist.
 *
 * @returns the ids better-auth gave the users and the organization
 */
export async function seedDemoData(auth: Auth, db: ExampleDatabase): Promise<DemoIds> {
  const existing = existingDemo(db)
  if (existing) return existing
  const signUp = async ({ email, name }: { email: string; name: string }) =>
    (await auth.api.signUpEmail({ body: { email, name, password: DEMO.password } })).user.id
  const users = {
    alice: await signUp(DEMO.users.alice),
    bob: await signUp(DEMO.users.bob),
    carol: await signUp(DEMO.users.carol),
  }
  const acme = await auth.api.createOrganization({
    body: { ...DEMO.organization, userId: users.alice },
  })
  if (!acme) throw new Error('better-auth did not create the demo organization')
  await auth.api.addMember({
    body: { userId: users.bob, organizationId: acme.id, role: 'member' },
  })

  const { sessions } = DEMO
  // A user's own tenant is `user:<userId>` (what withTenant falls back to without an active
  // organization), never the bare user id, which an organization id could equal.
  const userTenant = (userId: string) => `user:${userId}`
  db.createSession({
    sessionId: sessions.alice,
    tenantId: acme.id,
    userId: users.alice,
    title: 'Alice: onboarding call',
  })
  db.createSession({
    sessionId: sessions.bob,
    tenantId: acme.id,
    userId: users.bob,
    title: 'Bob: quarterly review',
  })
  db.createSession({
    sessionId: sessions.carol,
    tenantId: userTenant(users.carol),
    userId: users.carol,
    title: 'Carol: personal notes',
  })
  db.createSession({
    sessionId: sessions.alicePersonal,
    tenantId: userTenant(users.alice),
    userId: users.alice,
    title: 'Alice: created with the wrong tenant',
  })
  return { users, organization: acme.id }
}
