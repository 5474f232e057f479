/** The users the app seeds on first start, all with {@link DEMO_PASSWORD}. */
export const DEMO_USERS = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
  { name: 'Alan Turing', email: 'alan@example.com' },
  { name: 'Katherine Johnson', email: 'katherine@example.com' },
] as const

/** The password of every demo user (a demo: never do this with real accounts). */
export const DEMO_PASSWORD = 'presence-demo'
