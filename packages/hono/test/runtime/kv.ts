import { unstorageStore } from '@sess/store-unstorage'
import type { Storage } from 'unstorage'
import type { AppOptions } from './app.js'

/** The `/kv` option of the e2e app over an unstorage instance, named after the driver actually mounted. */
export function kvOver(storage: Storage): NonNullable<AppOptions['kv']> {
  return { store: unstorageStore({ storage }), driver: storage.getMount('sess:').driver.name ?? 'unnamed' }
}
