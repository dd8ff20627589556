export * from './client'
export * from './collections'
export * from './types'
