// Forks a variant's server process and talks to it over IPC.
import { fork } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FLOORS, VARIANTS } from '../variants.mjs'
import { pinnedFork } from './pin.mjs'

const SERVER = fileURLToPath(new URL('../server.mjs', import.meta.url))

/**
 * A variant as named on a command line: `<id>`, or `<id>@<checkout>` to run it from another checkout's
 * bench/src/server.mjs (built there first), for A/B of two revisions; `label` is the name as given, `server` the
 * script to pass to {@link startServer}. Undefined for an unknown id.
 */
export function variantFromSpec(spec) {
  const [id, checkout] = spec.split('@')
  const variant = [...VARIANTS, ...FLOORS].find((v) => v.id === id)
  return variant && { ...variant, label: spec, server: checkout && resolve(checkout, 'bench/src/server.mjs') }
}

/**
 * @typedef {object} ServerHandle
 * @property {string} id
 * @property {number} port
 * @property {string} origin
 * @property {number} pid
 * @property {(message: object, reply: string) => Promise<any>} ask
 * @property {() => Promise<void>} stop
 */

/** @returns {Promise<ServerHandle>} */
export function startServer(id, redisUrl, { execArgv = [], timeoutMs = 30_000, server = SERVER } = {}) {
  const child = fork(server, [id, ...(redisUrl ? [redisUrl] : [])], {
    ...pinnedFork(execArgv),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  })
  const waiters = []
  child.on('message', (message) => {
    const i = waiters.findIndex((w) => w.type === message.type)
    if (i !== -1) waiters.splice(i, 1)[0].resolve(message)
  })
  let exited = false
  const onExit = new Promise((resolve) =>
    child.once('exit', (code, signal) => ((exited = true), resolve({ code, signal }))),
  )
  onExit.then(({ code, signal }) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`[bench] server ${id} exited (${signal ?? code})`))
  })
  const wait = (type, ms = timeoutMs) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`[bench] server ${id}: no '${type}' within ${ms} ms`)), ms)
      waiters.push({
        type,
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      })
    })
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  return wait('ready').then((ready) => ({
    id,
    port: ready.port,
    pid: ready.pid,
    origin: `http://127.0.0.1:${ready.port}`,
    ask(message, reply) {
      const answer = wait(reply)
      child.send(message)
      return answer
    },
    async stop() {
      process.off('exit', killOnExit)
      if (exited) return
      child.send({ type: 'exit' })
      const force = setTimeout(() => child.kill('SIGKILL'), 5000)
      await onExit
      clearTimeout(force)
    },
  }))
}
