// What a published tarball may and must contain, checked on the extracted `package/` directory.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

export const REPOSITORY = 'https://github.com/sess-js/sess'

/** Paths allowed in a tarball: the manifest, the docs and license, and the build. */
const ALLOWED = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/[^/].*|migrations\/[^/].*\.sql)$/
const REQUIRED = ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts']
/** The migration a SQL store's build writes (scripts/write-migration.mjs), required where `./migrations/*` is exported. */
const MIGRATION = 'migrations/001_create_sess_sessions.sql'
/** A markdown link or image that is not absolute: dead once the README is shown on the registry. */
const RELATIVE_LINK = /\]\((?!https?:\/\/|#|mailto:)([^)\s]+)\)/g

/**
 * Problems with one extracted tarball (an empty list when it is fine).
 *
 * @param dir - The extracted `package/` directory.
 * @param workspaceDir - The package's directory in the repository, relative to the root (`packages/core`).
 */
export function tarballProblems(dir, workspaceDir) {
  const problems = []
  const files = listFiles(dir)
  for (const file of files) if (!ALLOWED.test(file)) problems.push(`ships ${file}, which users do not need`)
  for (const file of REQUIRED) if (!files.includes(file)) problems.push(`lacks ${file}`)

  const manifestText = readFileSync(join(dir, 'package.json'), 'utf8')
  const manifest = JSON.parse(manifestText)
  if (manifest.exports?.['./migrations/*'] !== undefined && !files.includes(MIGRATION))
    problems.push(`lacks ${MIGRATION}`)
  if (manifestText.includes('workspace:')) problems.push('package.json still has a workspace: range')
  if (manifest.private) problems.push('is private')
  if (manifest.license !== 'MIT') problems.push(`license is ${manifest.license}, not MIT`)
  if (manifest.sideEffects !== false) problems.push('sideEffects is not false')
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) problems.push('has no keywords')
  if (manifest.repository?.url !== `git+${REPOSITORY}.git`)
    problems.push(`repository.url is ${manifest.repository?.url}`)
  if (manifest.repository?.directory !== workspaceDir) problems.push(`repository.directory is not ${workspaceDir}`)
  if (manifest.homepage !== `${REPOSITORY}/tree/main/${workspaceDir}#readme`)
    problems.push(`homepage is ${manifest.homepage}`)
  if (manifest.bugs?.url !== `${REPOSITORY}/issues`) problems.push(`bugs.url is ${manifest.bugs?.url}`)

  if (existsSync(join(dir, 'README.md'))) {
    for (const [, target] of readFileSync(join(dir, 'README.md'), 'utf8').matchAll(RELATIVE_LINK)) {
      problems.push(`README.md links to ${target}, which is dead on the registry (use ${REPOSITORY}/...)`)
    }
  }
  return problems
}

function listFiles(dir, root = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? listFiles(path, root) : [relative(root, path).split('\\').join('/')]
  })
}
