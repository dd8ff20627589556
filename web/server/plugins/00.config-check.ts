// A production server refuses to start without the URLs it cannot guess: canonical links, feeds
// and the sitemap would otherwise point at localhost, and every page would fail to reach the CMS.
// Nor without the Private Area's secrets: the session password (NUXT_SESSION_PASSWORD; without it
// no member could sign in) and the key for the CMS's member endpoints (NUXT_SITE_API_KEY).
export default defineNitroPlugin(() => {
  // (the build's prerenderer runs plugins too: it has nothing to reach)
  if (import.meta.dev || import.meta.prerender)
    return
  const problems = configProblems(useRuntimeConfig())
  if (problems.length === 0)
    return
  console.error(`[isecg] The site cannot start:\n${problems.map(p => `  - ${p}`).join('\n')}\nSee web/.env.example.`)
  process.exit(1)
})
