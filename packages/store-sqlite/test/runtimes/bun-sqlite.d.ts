// The part of Bun's built-in `bun:sqlite` the Bun test entry uses, so the package typechecks without bun-types.
declare module 'bun:sqlite' {
  export class Database {
    constructor(filename?: string)
    prepare(sql: string): { run(...params: never[]): { changes: number }; all(...params: never[]): unknown[] }
    exec(sql: string): void
    close(): void
  }
}
