/**
 * The opt-in device metadata a record may carry next to the core's fields ("your devices"). With `deviceMetadata:
 * true` the store keeps them in the `user_agent` and `ip` columns and returns them on the record.
 */
export interface DeviceFields {
  /** The `User-Agent` of the request that created the session. */
  userAgent?: string | undefined
  /** The client IP of the request that created the session. */
  ip?: string | undefined
}
