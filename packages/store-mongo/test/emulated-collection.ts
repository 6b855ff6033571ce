import type { Collection, Document } from 'mongodb'
import { BSON } from 'mongodb'
import type { SessionDocument } from '../src/index.js'

/**
 * An in-memory stand-in for the few Collection methods the store calls, following MongoDB's rules for them:
 * documents are stored as BSON (the driver's real encoder and decoder, so values, Dates and copies behave as they
 * would), filters support equality, `$gt`/`$gte`/`$lte`/`$eq`/`$ne`/`$exists`/`$type`/`$not`/`$nor` with BSON type
 * bracketing and array matching, updates `$set`/`$unset` on
 * dotted paths and `$inc`, and no upsert unless asked. It rejects field names a server would reject in an update
 * path, so escaping mistakes fail here too. It is not a server: the gated suite is the real check.
 */
export function emulatedCollection(): Collection<SessionDocument> {
  const docs = new Map<string, Uint8Array>()
  const read = (bytes: Uint8Array): Document => BSON.deserialize(bytes)
  const write = (doc: Document): void => {
    checkFieldNames(doc)
    docs.set(doc._id as string, BSON.serialize(doc))
  }
  const matching = (filter: Document): Document[] => [...docs.values()].map(read).filter((doc) => matches(doc, filter))
  const ack = { acknowledged: true }

  const collection = {
    async findOne(filter: Document, options?: { projection?: Document }) {
      const doc = matching(filter)[0]
      if (doc === undefined) return null
      return options?.projection ? { _id: doc._id } : doc
    },
    find(filter: Document) {
      return { toArray: async () => matching(filter) }
    },
    async replaceOne(filter: Document, replacement: Document, options?: { upsert?: boolean }) {
      const doc = matching(filter)[0]
      if (doc === undefined && options?.upsert !== true) return { ...ack, matchedCount: 0, modifiedCount: 0 }
      write({ _id: doc?._id ?? filter._id, ...replacement })
      return { ...ack, matchedCount: doc ? 1 : 0, modifiedCount: doc ? 1 : 0, upsertedCount: doc ? 0 : 1 }
    },
    async updateOne(filter: Document, update: Document, options?: { upsert?: boolean }) {
      if (options?.upsert) throw new Error('emulated: the store must never upsert on update')
      const doc = matching(filter)[0]
      if (doc === undefined) return { ...ack, matchedCount: 0, modifiedCount: 0 }
      for (const [path, value] of Object.entries(update.$set ?? {})) setPath(doc, path, value)
      for (const path of Object.keys(update.$unset ?? {})) unsetPath(doc, path)
      for (const [path, by] of Object.entries(update.$inc ?? {})) setPath(doc, path, (doc[path] ?? 0) + (by as number))
      write(doc)
      return { ...ack, matchedCount: 1, modifiedCount: 1 }
    },
    async deleteOne(filter: Document) {
      const doc = matching(filter)[0]
      if (doc !== undefined) docs.delete(doc._id)
      return { ...ack, deletedCount: doc ? 1 : 0 }
    },
    async deleteMany(filter: Document) {
      const found = matching(filter)
      for (const doc of found) docs.delete(doc._id)
      return { ...ack, deletedCount: found.length }
    },
    async countDocuments(filter: Document) {
      return matching(filter).length
    },
    async createIndexes(specs: Array<{ name: string }>) {
      return specs.map((spec) => spec.name)
    },
  }
  return collection as unknown as Collection<SessionDocument>
}

function matches(doc: Document, filter: Document): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    if (field === '$nor') return !(condition as Document[]).some((branch) => matches(doc, branch))
    return satisfies(doc[field], condition)
  })
}

function satisfies(value: unknown, condition: unknown): boolean {
  if (condition === null || typeof condition !== 'object' || condition instanceof Date) return equal(value, condition)
  return Object.entries(condition as Document).every(([op, operand]) => {
    if (op === '$gt') return compare(value, operand, (a, b) => a > b)
    if (op === '$gte') return compare(value, operand, (a, b) => a >= b)
    if (op === '$lte') return compare(value, operand, (a, b) => a <= b)
    if (op === '$eq') return equal(value, operand)
    if (op === '$ne') return !equal(value, operand)
    if (op === '$exists') return (value !== undefined) === operand
    if (op === '$type') return [operand].flat().some((type) => hasType(value, type as string))
    if (op === '$not') return !satisfies(value, operand)
    throw new Error(`emulated: unsupported operator ${op}`)
  })
}

// MongoDB compares only within a type bracket (a Date with a Date, a number with a number); NaN matches no range,
// and a condition on an array field matches when any element does.
function compare(value: unknown, operand: unknown, test: (a: number, b: number) => boolean): boolean {
  if (Array.isArray(value)) return value.some((item) => compare(item, operand, test))
  if (value instanceof Date && operand instanceof Date) return test(value.getTime(), operand.getTime())
  return typeof value === 'number' && typeof operand === 'number' && test(value, operand)
}

function typeOf(value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (value === null) return 'null'
  if (value instanceof Date) return 'date'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return 'number'
  if (typeof value === 'string') return 'string'
  if (typeof value === 'boolean') return 'bool'
  return 'object'
}

function hasType(value: unknown, type: string): boolean {
  if (typeOf(value) === type) return true
  return Array.isArray(value) && value.some((item) => typeOf(item) === type)
}

function equal(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  return a === b
}

function segments(path: string): string[] {
  const parts = path.split('.')
  for (const part of parts) {
    if (part === '' || part.startsWith('$')) throw new Error(`emulated: invalid update path ${JSON.stringify(path)}`)
  }
  return parts
}

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = segments(path)
  let target = doc
  for (const part of parts.slice(0, -1)) {
    const next = (target[part] ??= {})
    // The server's PathNotViable: a path cannot go through null, a string or an array element by name.
    if (next === null || typeof next !== 'object' || Array.isArray(next) || next instanceof Date) {
      throw Object.assign(new Error(`emulated: Cannot create field in element {${part}: ${String(next)}}`), {
        code: 28,
      })
    }
    target = next
  }
  target[parts.at(-1)!] = value
}

function unsetPath(doc: Document, path: string): void {
  const parts = segments(path)
  let target: Document | undefined = doc
  for (const part of parts.slice(0, -1)) target = target?.[part]
  if (target !== undefined) delete target[parts.at(-1)!]
}

function checkFieldNames(value: unknown): void {
  if (value === null || typeof value !== 'object' || value instanceof Date) return
  for (const [key, item] of Object.entries(value)) {
    if (!Array.isArray(value) && (key === '' || key.startsWith('$') || key.includes('.'))) {
      throw new Error(`emulated: field name ${JSON.stringify(key)} cannot be stored`)
    }
    checkFieldNames(item)
  }
}
