import type { Driver } from './driver.js'
import type { LuaScript } from './scripts.js'

/**
 * Runs `script` on the node owning `key`: EVALSHA, one round trip once the server has the script cached; on
 * NOSCRIPT (first use, a restart, SCRIPT FLUSH, a failover) one EVAL, which also caches it for next time.
 */
export async function evalScript(driver: Driver, script: LuaScript, key: string, args: string[]): Promise<unknown> {
  try {
    return await driver.send(key, ['EVALSHA', script.sha, '1', key, ...args])
  } catch (error) {
    if (!isNoScript(error)) throw error
    return driver.send(key, ['EVAL', script.source, '1', key, ...args])
  }
}

function isNoScript(error: unknown): boolean {
  return typeof error === 'object' && error !== null && String((error as Error).message).startsWith('NOSCRIPT')
}
