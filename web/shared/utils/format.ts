/** Formats an ISO date (YYYY-MM-DD or full timestamp) as "5 October 2015", independent of the server's locale. */
export function formatDate(iso: string | null | undefined, style: 'long' | 'month' = 'long'): string {
  if (!iso)
    return ''
  const date = new Date(iso.length === 10
    ? `${iso}T00:00:00Z`
    : iso)
  if (Number.isNaN(date.getTime()))
    return ''
  return new Intl.DateTimeFormat('en-GB', {
    day: style === 'long'
      ? 'numeric'
      : undefined,
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date)
}

/** "PDF, 2.4 MB" from a Strapi media's extension and size (in KB). */
export function fileInfo(ext: string | null | undefined, sizeKb: number | null | undefined): string {
  const type = ext
    ? ext.replace(/^\./, '').toUpperCase()
    : ''
  let size = ''
  if (typeof sizeKb === 'number' && sizeKb > 0) {
    size = sizeKb >= 1024
      ? `${(sizeKb / 1024).toFixed(1)} MB`
      : `${Math.max(1, Math.round(sizeKb))} KB`
  }
  return [type, size].filter(Boolean).join(', ')
}

/** A URL-safe id from a label ("General questions" → "general-questions"). */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036F]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'section'
}
