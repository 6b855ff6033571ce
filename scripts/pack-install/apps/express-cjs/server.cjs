// A CommonJS Express app, as an express-session user has it: only the module name differs.
const session = require('@sess/express')
const express = require('express')

if (typeof session !== 'function' || typeof session.MemoryStore !== 'function') {
  throw new Error("require('@sess/express') is not the session function with MemoryStore attached")
}

const app = express()
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }))
app.get('/', (req, res) => {
  req.session.views = (req.session.views || 0) + 1
  res.send(`views: ${req.session.views}`)
})
const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`))
