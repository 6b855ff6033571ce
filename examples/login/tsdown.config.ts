import { defineConfig } from 'tsdown'
import { app } from '../../tsdown.app.ts'

export default defineConfig(app)
