declare module 'h3' {
  interface H3EventContext {
    /** The route is served without client scripts (route rule `noScripts`); set by server/middleware/route-flags.ts. */
    noScripts?: boolean
  }
}

export {}
