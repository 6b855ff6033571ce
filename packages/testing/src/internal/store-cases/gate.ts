import { it } from 'vitest'
import type { StoreCapabilities } from '../../store-suite.js'

/**
 * `it`, skipped when the store lacks one of `needs`; the reason goes into the title so a skip is never silent.
 */
export function itWith(
  capabilities: StoreCapabilities,
  needs: ReadonlyArray<keyof StoreCapabilities>,
  title: string,
  fn: () => Promise<void>,
): void {
  const missing = needs.filter((cap) => !capabilities[cap])
  const skip = missing.length > 0
  it.skipIf(skip)(skip ? `${title} [skipped: store has no ${missing.join(', ')}]` : title, fn)
}
