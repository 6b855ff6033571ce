// `pnpm test:pack` (and part of `pnpm run ci`): what a new user gets from the registry, without publishing.
// Packs every public package with `pnpm pack`, checks each tarball (only dist, README, LICENSE, CHANGELOG; complete
// metadata; no workspace: ranges; absolute links), then installs the tarballs with npm into fresh apps in a temp
// directory outside the workspace, with express/fastify/hono from the registry, and runs each app: Express from
// CommonJS, Express from ESM TypeScript (type-checked with tsc, importing every package), Fastify, Hono (on
// store-unstorage). Each app gets two real HTTP requests: a new session cookie, then the same session read back.
// Measures the built packages, so build first (`pnpm build`).
//
//   node scripts/pack-install.mjs [--keep]     (--keep leaves the temp directory for inspection)
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { tarballProblems } from './pack-install/tarball.mjs'

const ROOT = resolve(fileURLToPath(import.meta.url), '../..')
const APPS = join(ROOT, 'scripts/pack-install/apps')
const { values: flags } = parseArgs({ options: { keep: { type: 'boolean', default: false } } })
const SECRET = 'pack-install-test-secret-0123456789abcdef'

// Registry versions: the ones the workspace pins, so this run matches the tests.
const pin = (dir, name) => {
  const manifest = readJSON(join(ROOT, dir, 'package.json'))
  const version = manifest.dependencies?.[name] ?? manifest.devDependencies?.[name]
  if (!/^\d/.test(version ?? '')) throw new Error(`[pack] ${dir} does not pin ${name} to an exact version`)
  return `${name}@${version}`
}

/** The apps: which of our packages each installs (their @sess dependencies follow), what else from the registry. */
const apps = [
  {
    name: 'express-cjs',
    main: 'server.cjs',
    readme: 'Express',
    ours: ['@sess/express'],
    registry: [pin('examples/express-basic', 'express')],
  },
  {
    name: 'express-esm-ts',
    main: 'out/server.js',
    type: 'module',
    ours: 'all',
    registry: [
      pin('examples/express-basic', 'express'),
      pin('examples/express-basic', '@types/express'),
      pin('.', 'typescript'),
      pin('.', '@types/node'),
    ],
    build: ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'],
  },
  {
    name: 'fastify',
    main: 'server.mjs',
    readme: 'Fastify',
    ours: ['@sess/fastify', '@sess/store-memory'],
    registry: [pin('examples/fastify-basic', 'fastify')],
  },
  {
    name: 'hono',
    main: 'server.mjs',
    readme: 'Hono',
    ours: ['@sess/hono', '@sess/store-unstorage', '@sess/store-memory'],
    registry: [
      pin('examples/hono-node', 'hono'),
      pin('examples/hono-node', '@hono/node-server'),
      pin('examples/hono-workers', 'unstorage'),
    ],
  },
]

const started = Date.now()
const work = mkdtempSync(join(tmpdir(), 'sess-pack-'))
const failures = []
try {
  const packages = workspacePackages()
  const tarballs = pack(packages, join(work, 'tarballs'))
  const everyImport = readFileSync(join(APPS, 'express-esm-ts/server.ts'), 'utf8')
  for (const name of packages.keys()) {
    if (!everyImport.includes(`from '${name}'`)) failures.push(`apps/express-esm-ts/server.ts does not import ${name}`)
  }
  // Installs are mostly network and disk: all at once; the apps then run one by one.
  const installed = await Promise.all(apps.map((app) => install(app, tarballs, packages)))
  for (const app of installed) await runApp(app)
} catch (error) {
  failures.push(error instanceof Error ? error.message : String(error))
} finally {
  if (flags.keep) console.log(`[pack] kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
if (failures.length > 0) {
  console.error(`[pack] FAILED:\n  - ${failures.join('\n  - ')}`)
  process.exit(1)
}
console.log(
  `[pack] passed: ${apps.length} apps from packed tarballs in ${((Date.now() - started) / 1000).toFixed(1)} s`,
)

/** Every workspace package; the public ones are packed, the private ones (examples, bench, testing) never. */
function workspacePackages() {
  const dirs = ['packages', 'examples'].flatMap((parent) =>
    readdirSync(join(ROOT, parent)).map((name) => `${parent}/${name}`),
  )
  const all = [...dirs, 'bench']
    .filter((dir) => existsSync(join(ROOT, dir, 'package.json')))
    .map((dir) => ({ dir, manifest: readJSON(join(ROOT, dir, 'package.json')) }))
  const publicOnes = all.filter((p) => !p.manifest.private)
  for (const { dir, manifest } of publicOnes) {
    if (!dir.startsWith('packages/')) failures.push(`${dir} is not private, so it would be published`)
    // workspace:^ on a 0.x peer makes changesets release 1.0.0 (see .changeset/README.md).
    const peer = manifest.peerDependencies?.['@sess/core']
    if (peer && /^workspace:[\^~*]$/.test(peer))
      failures.push(`${dir}: peer range ${peer} on @sess/core (.changeset/README.md)`)
    if (!existsSync(join(ROOT, dir, 'dist'))) throw new Error(`[pack] ${dir}/dist is missing: run \`pnpm build\` first`)
  }
  console.log(
    `[pack] ${publicOnes.length} public packages; never packed (private): ${all
      .filter((p) => p.manifest.private)
      .map((p) => p.manifest.name)
      .join(', ')}`,
  )
  return new Map(publicOnes.map((p) => [p.manifest.name, p]))
}

/** `pnpm pack` of every public package in one run (replacing workspace: ranges as a publish would); checks each. */
function pack(packages, dest) {
  mkdirSync(dest, { recursive: true })
  const filters = [...packages.keys()].flatMap((name) => ['--filter', name])
  run(pnpmCommand(), ['-r', ...filters, 'pack', '--pack-destination', dest])
  const tarballs = new Map()
  for (const [name, { dir, manifest }] of packages) {
    const file = `${name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`
    if (!existsSync(join(dest, file))) throw new Error(`[pack] pnpm pack wrote no ${file} for ${name}`)
    const extracted = join(work, 'extracted', file.replace(/\.tgz$/, ''))
    mkdirSync(extracted, { recursive: true })
    run('tar', ['-xzf', join(dest, file), '-C', extracted])
    for (const problem of tarballProblems(join(extracted, 'package'), dir)) failures.push(`${name}: ${problem}`)
    tarballs.set(name, join(dest, file))
  }
  const extra = readdirSync(dest).filter((f) => ![...tarballs.values()].some((t) => t.endsWith(`/${f}`)))
  if (extra.length > 0) failures.push(`packed more than the public packages: ${extra.join(', ')}`)
  console.log(`[pack] packed and checked ${tarballs.size} tarballs`)
  return tarballs
}

/** Installs an app's tarballs (and their @sess dependencies) plus its registry packages with npm. */
async function install(app, tarballs, packages) {
  const dir = join(work, 'apps', app.name)
  cpSync(join(APPS, app.name), dir, { recursive: true })
  const manifest = {
    name: `sess-pack-${app.name}`,
    version: '1.0.0',
    private: true,
    ...(app.type && { type: app.type }),
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  const ours = app.ours === 'all' ? [...tarballs.keys()] : withSessDependencies(app.ours, packages)
  const t0 = Date.now()
  const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']
  await runAsync('npm', [...args, ...ours.map((n) => tarballs.get(n)), ...app.registry], dir)
  const seconds = ((Date.now() - t0) / 1000).toFixed(1)
  return { ...app, dir, summary: `${ours.length} tarballs + ${app.registry.length} from the registry in ${seconds} s` }
}

/** Builds the app if it has a build step, then checks a session cookie round trip against it. */
async function runApp(app) {
  if (app.build) run(process.execPath, app.build, app.dir)
  const { status, body, setCookie } = await roundTrip(app, app.dir, app.main)
  console.log(`[pack] ${app.name}: installed ${app.summary}; ${status} "${body}"; ${setCookie}`)
  if (app.readme) {
    // The root README's start for this framework, verbatim but for the port.
    const port = await freePort()
    writeFileSync(join(app.dir, 'readme.mjs'), readmeStart(app.readme).replaceAll('3000', String(port)))
    const result = await roundTrip(app, app.dir, 'readme.mjs', port)
    console.log(`[pack] ${app.name}: the README's ${app.readme} start answers ${result.status} "${result.body}"`)
  }
}

/** The first js block after the README's bold `**<framework>**` line. */
function readmeStart(framework) {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const at = readme.indexOf(`**${framework}**`)
  const block = at < 0 ? null : /```js\n([\s\S]*?)```/.exec(readme.slice(at))
  if (!block) throw new Error(`[pack] README.md has no js block after **${framework}**`)
  return block[1]
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolvePort(port))
    })
  })
}

/** The named packages plus every @sess package they depend on, as npm needs those from tarballs too. */
function withSessDependencies(names, packages) {
  const seen = new Set()
  const visit = (name) => {
    if (seen.has(name)) return
    const entry = packages.get(name)
    if (!entry) throw new Error(`[pack] ${name} is not a public workspace package`)
    seen.add(name)
    const { dependencies = {}, peerDependencies = {} } = entry.manifest
    for (const dep of Object.keys({ ...dependencies, ...peerDependencies })) if (dep.startsWith('@sess/')) visit(dep)
  }
  for (const name of names) visit(name)
  return [...seen]
}

/** Starts the app, sends a first request (new session) and a second with its cookie (same session), stops it. */
function answers(port) {
  return fetch(`http://127.0.0.1:${port}/favicon.ico`).then(
    () => true,
    () => false,
  )
}

async function roundTrip(app, dir, main, fixedPort) {
  const child = spawn(process.execPath, [main], {
    cwd: dir,
    env: { ...cleanEnv(), SESSION_SECRET: SECRET, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let exited = false
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  child.once('exit', () => (exited = true))
  try {
    // Our apps print the port they got; a README start listens on the port written into it.
    const deadline = Date.now() + 20_000
    let port = fixedPort
    for (;;) {
      port ??= Number(/listening (\d+)/.exec(output)?.[1]) || undefined
      if (port && (fixedPort === undefined || (await answers(port)))) break
      if (exited) throw new Error(`${app.name} (${main}) exited: ${output}`)
      if (Date.now() > deadline) throw new Error(`${app.name} (${main}) did not start within 20 s: ${output}`)
      await new Promise((resolveWait) => setTimeout(resolveWait, 100))
    }
    const origin = `http://127.0.0.1:${port}`
    const first = await fetch(`${origin}/`)
    const firstBody = await first.text()
    const setCookie = first.headers.getSetCookie()[0] ?? ''
    expect(app, first.status === 200 && firstBody === 'views: 1', `first request: ${first.status} "${firstBody}"`)
    expect(app, /; HttpOnly/i.test(setCookie) && /; SameSite=Lax/i.test(setCookie), `cookie attributes: ${setCookie}`)
    const cookie = setCookie.split(';')[0]
    const second = await fetch(`${origin}/`, { headers: { cookie } })
    const secondBody = await second.text()
    expect(app, second.status === 200 && secondBody === 'views: 2', `second request: ${second.status} "${secondBody}"`)
    return { status: second.status, body: secondBody, setCookie: setCookie.replace(/=[^;]*/, '=…') }
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
  }
}

function expect(app, ok, what) {
  if (!ok) throw new Error(`${app.name}: unexpected ${what}`)
}

/** pnpm as `pnpm run` started us (npm_execpath), or the pinned one through npx. */
function pnpmCommand() {
  const execpath = process.env.npm_execpath
  return execpath && /pnpm/.test(execpath) ? [process.execPath, execpath] : ['npx', '-y', 'pnpm@10.34.8']
}

function run(command, args, cwd = ROOT) {
  const [file, ...pre] = Array.isArray(command) ? command : [command]
  try {
    execFileSync(file, [...pre, ...args], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
  } catch (error) {
    throw new Error(
      `\`${[file, ...pre, ...args].join(' ')}\` failed in ${cwd}:\n${error.stdout ?? ''}${error.stderr ?? ''}`,
    )
  }
}

async function runAsync(command, args, cwd) {
  const child = spawn(command, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const [code] = await once(child, 'exit')
  if (code !== 0) throw new Error(`\`${command} ${args.join(' ')}\` failed in ${cwd} (exit ${code}):\n${output}`)
}

/** The environment without pnpm's npm_* variables, so npm in the temp apps sees a plain user's setup. */
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)))
}

function readJSON(path) {
  return JSON.parse(readFileSync(path, 'utf8'))
}
