// The demo's user directory: two accounts, passwords kept as scrypt hashes and compared in constant time.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto'

/** A signed-in user as the session keeps it. */
export interface User {
  id: string
  name: string
}

interface Account extends User {
  salt: Buffer
  hash: Buffer
}

/** Demo accounts (username → password). A real app has a database and a proper password hashing policy. */
export const DEMO_ACCOUNTS: Readonly<Record<string, string>> = { ada: 'lovelace', grace: 'hopper' }

const accounts = new Map<string, Account>(
  Object.entries(DEMO_ACCOUNTS).map(([username, password]) => {
    const salt = randomBytes(16)
    const name = username.charAt(0).toUpperCase() + username.slice(1)
    return [username, { id: `user-${username}`, name, salt, hash: scryptSync(password, salt, 32) }]
  }),
)
// Unknown usernames still cost one scrypt, so response time does not reveal which accounts exist.
const decoy = { salt: randomBytes(16), hash: randomBytes(32) }

/** The user for these credentials, or `undefined`. */
export function authenticate(username: string, password: string): User | undefined {
  const account = accounts.get(username.trim().toLowerCase())
  const { salt, hash } = account ?? decoy
  const matches = timingSafeEqual(scryptSync(password, salt, 32), hash)
  return account && matches ? { id: account.id, name: account.name } : undefined
}
