import type { ExampleDatabase } from './db.js'

/** The demo's fixed ids, used by the README, the dev script and the tests. */
export const DEMO = {
  users: { alice: 'user-alice', bob: 'user-bob', carol: 'user-carol' },
  organizations: { acme: 'org-acme' },
  sessions: {
    /** Alice's session in her organization: the one that works. */
    alice: 'sess-alice',
    /** Bob's session in the same organization: Alice gets `USER_MISMATCH` (she may still poll it). */
    bob: 'sess-bob',
    /** Carol's session in her personal tenant: Alice gets `SESSION_NOT_FOUND`. */
    carol: 'sess-carol',
    /**
     * The original app's bug on purpose: Alice's own session, stored with `tenantId = userId` while her
     * auth resolves to her organization, so the tenant-scoped lookup misses it (`SESSION_NOT_FOUND`).
     */
    alicePersonal: 'sess-alice-personal',
  },
} as const

/**
 * Fills an empty database with the demo: Alice and Bob in organization Acme (Alice's active
 * organization), Carol without an organization (her tenant is her user id), and one work
 * session for each case of the original app's checklist.
 */
export function seedDemoData(db: ExampleDatabase): void {
  const { users, organizations, sessions } = DEMO
  db.addUser(users.alice, 'Alice')
  db.addUser(users.bob, 'Bob')
  db.addUser(users.carol, 'Carol')
  db.addOrganization(organizations.acme, 'Acme', [users.alice, users.bob])
  db.createSession({
    sessionId: sessions.alice,
    tenantId: organizations.acme,
    userId: users.alice,
    title: 'Alice: onboarding call',
  })
  db.createSession({
    sessionId: sessions.bob,
    tenantId: organizations.acme,
    userId: users.bob,
    title: 'Bob: quarterly review',
  })
  db.createSession({
    sessionId: sessions.carol,
    tenantId: users.carol,
    userId: users.carol,
    title: 'Carol: personal notes',
  })
  db.createSession({
    sessionId: sessions.alicePersonal,
    tenantId: users.alice,
    userId: users.alice,
    title: 'Alice: created with the wrong tenant',
  })
}
