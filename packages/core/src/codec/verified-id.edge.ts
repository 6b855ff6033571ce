// The edge build's `verified-id.ts` (tsdown.config.ts swaps it in): `LoadInput.verifiedId` is for Node adapters with a
// cookie format of their own (Fastify's); on the edge the Cookie header is always what is read.
import type { VerifiedCandidate } from './verified-id.js'

/** Always undefined on the edge: the request's cookie is read. (No parameters: the edge bundle is counted in bytes.) */
export function verifiedCandidate(): VerifiedCandidate | undefined {
  return undefined
}
