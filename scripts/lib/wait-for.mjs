/**
 * Polls `url` once a second until it answers below 500; true when it did, false when `timeoutMs`
 * passed or `cancelled()` became true first. Shared by scripts/dev.mjs and scripts/bench.mjs.
 */
export async function waitFor(url, timeoutMs, cancelled = () => false) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && !cancelled()) {
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(5000),
      })
      if (response.status < 500)
        return true
    }
    catch {
      /* not up yet */
    }
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
  return false
}
