import { DEMO_PASSWORD, DEMO_USERS } from './demo-users'
import { createUser, findUserByEmail } from './users'

/**
 * Creates the demo accounts that do not exist yet. Called only in demo mode
 * (`PRESENCE_DEMO=1`): a production start creates none.
 */
export async function seedDemoUsers(): Promise<void> {
  for (const user of DEMO_USERS) {
    if (findUserByEmail(user.email)) continue
    await createUser({ ...user, password: DEMO_PASSWORD })
  }
}
