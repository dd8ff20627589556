import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const webDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const serverEntry = join(webDir, '.output', 'server', 'index.mjs')
