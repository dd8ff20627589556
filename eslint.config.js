// One lint and format style for the whole workspace (cms, web, shared, scripts): @antfu/eslint-config
// (single quotes, no semicolons, two-space indent), no separate Prettier. `pnpm lint` (CI) and
// `pnpm lint:fix`.
import antfu from '@antfu/eslint-config'

export default antfu({
  vue: true,
  typescript: true,
  // dependency versions stay in each package.json (no catalog rewriting)
  pnpm: false,
  ignores: [
    // generated
    'cms/types/generated/**',
    'cms/dist/**',
    'cms/.strapi/**',
    'cms/public/**',
    '**/.nuxt/**',
    '**/.output/**',
    '**/.data/**',
    '**/.tmp/**',
    '**/coverage/**',
    'pnpm-lock.yaml',
    // key order and dependency layout of manifests are pnpm's business
    '**/package.json',
  ],
}, {
  rules: {
    // Node's process and Buffer are used as globals, as Strapi and Nitro code does.
    'node/prefer-global/process': 'off',
    'node/prefer-global/buffer': 'off',
    // Browser tests read innerText on purpose: the text a visitor sees, not hidden markup.
    'unicorn/prefer-dom-node-text-content': 'off',
  },
})
