/**
 * Compares two strings in time that depends only on their lengths, so a forged signature
 * cannot be found byte by byte from response timings. Lengths are public (a signature's
 * length is fixed by the algorithm).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
