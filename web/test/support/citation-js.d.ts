// @citation-js 0.8 ships no type declarations: the part the citation tests use.
declare module '@citation-js/core' {
  export interface CslItem {
    id?: string
    type?: string
    title?: string
    author?: { literal?: string, family?: string, given?: string }[]
    issued?: { 'date-parts'?: (number | string)[][] }
    URL?: string
    publisher?: string
    [field: string]: unknown
  }
  export class Cite {
    constructor(data: unknown, options?: { forceType?: string })
    data: CslItem[]
    format(format: string, options?: Record<string, unknown>): string
  }
}
declare module '@citation-js/plugin-bibtex'
declare module '@citation-js/plugin-ris'
