/** A positive number from an environment variable's text, or `fallback` when it is unset, empty, not a number or not above 0. */
export function positiveSetting(value: string | undefined, fallback: number): number {
  const parsed = Number(value)
  return value !== undefined && value.trim() !== '' && Number.isFinite(parsed) && parsed > 0
    ? parsed
    : fallback
}
