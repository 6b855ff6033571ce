// The pages, as plain template strings. Everything interpolated goes through `escapeHTML`.
import type { Device } from './devices.js'
import type { Flash } from './flash.js'
import type { User } from './users.js'

/** What every page gets. */
export interface PageContext {
  user: User | undefined
  csrf: string
  flash: Flash[]
}

export function escapeHTML(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

const csrfField = (csrf: string): string => `<input type="hidden" name="_csrf" value="${escapeHTML(csrf)}">`

function layout(title: string, ctx: PageContext, body: string): string {
  const messages = ctx.flash.map((m) => `<p class="flash ${m.kind}" role="status">${escapeHTML(m.text)}</p>`).join('')
  const nav = ctx.user
    ? `<nav>Signed in as <strong id="who">${escapeHTML(ctx.user.name)}</strong> · <a href="/">Home</a> · <a href="/devices">Your devices</a>
       <form method="post" action="/logout" class="inline">${csrfField(ctx.csrf)}<button id="sign-out">Sign out</button></form></nav>`
    : '<nav><a href="/">Home</a> · <a href="/login">Sign in</a></nav>'
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHTML(title)} · sess login demo</title>
<style>body{font:16px system-ui;max-width:40rem;margin:2rem auto;padding:0 1rem}.flash{padding:.5rem;border-radius:4px}
.info{background:#e7f5e9}.error{background:#fde8e8}.inline{display:inline}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.3rem;border-bottom:1px solid #ddd}</style></head>
<body>${nav}${messages}<h1>${escapeHTML(title)}</h1>${body}</body></html>`
}

export function homePage(ctx: PageContext): string {
  const body = ctx.user
    ? `<p id="welcome">Hello, ${escapeHTML(ctx.user.name)}. This session is bound to your account.</p>`
    : '<p>You are not signed in. <a href="/login">Sign in</a> as <code>ada</code> / <code>lovelace</code>.</p>'
  return layout('Home', ctx, body)
}

export function loginPage(ctx: PageContext, username = ''): string {
  return layout(
    'Sign in',
    ctx,
    `<form method="post" action="/login">${csrfField(ctx.csrf)}
  <p><label>Username <input name="username" autocomplete="username" value="${escapeHTML(username)}" required></label></p>
  <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
  <p><button id="sign-in">Sign in</button></p>
</form>`,
  )
}

export function devicesPage(ctx: PageContext, devices: Device[]): string {
  const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 16)
  const rows = devices
    .map(
      (
        d,
      ) => `<tr class="device${d.current ? ' current' : ''}"><td>${escapeHTML(d.userAgent)}${d.current ? ' <strong>(this device)</strong>' : ''}</td>
<td>${time(d.createdAt)} UTC</td><td>${time(d.lastSeenAt)} UTC</td><td>${time(d.expiresAt)} UTC</td>
<td><form method="post" action="/devices/sign-out">${csrfField(ctx.csrf)}<input type="hidden" name="device" value="${escapeHTML(d.handle)}"><button>Sign out this device</button></form></td></tr>`,
    )
    .join('\n')
  return layout(
    'Your devices',
    ctx,
    `<table><thead><tr><th>Browser</th><th>Created</th><th>Last seen</th><th>Expires</th><th></th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/devices/sign-out-others">${csrfField(ctx.csrf)}<p><button id="sign-out-others">Sign out everywhere else</button></p></form>`,
  )
}

export function errorPage(status: number, title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHTML(title)}</title></head>
<body style="font:16px system-ui;max-width:40rem;margin:2rem auto"><h1>${escapeHTML(title)}</h1><p>${escapeHTML(text)}</p>
<p><a href="/">Back to the start page</a> (status ${status})</p></body></html>`
}
