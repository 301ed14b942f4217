// Lint for `npm test`: typescript-eslint's recommended rules (syntax only: no type-aware
// rules, so a run stays a few seconds) plus the layering, stated as import rules.
//
// The layers (README, "How it works"):
//   src/domain    shared vocabulary; imports no other layer
//   src/store     keyv-backed repositories; imports only src/domain (and logger/version)
//   src/core      the pipeline; imports src/domain and the store's interfaces (type-only),
//                 never a platform, the cluster, a store implementation, http or the app
//   src/platforms Discord and Slack; never the cluster or a store implementation. Each
//                 platform's public face is its platform.ts (a PlatformModule); registry.ts
//                 lists them. src/config and src/app.ts see a platform only through
//                 registry.ts (and the module/adapter types): that is what makes a new
//                 platform one folder plus one registry line. A platform.ts is loaded by
//                 every process and the CLI, so it loads no client library (discord.js,
//                 @slack/bolt) and not its adapter (index.js) except in create(), lazily.
//   src/cluster   the BullMQ/Redis runtime; may import core, domain and store
//   src/application  use cases; like the core, never a platform, the cluster or a store
//                 implementation (the store's interfaces as types only)
//   src/http      the one HTTP server; knows none of the layers above
//   commands      platform-neutral slash commands; only src/application and src/domain
//
// The rules match import specifiers (every import here is relative), so a pattern such as
// `(^|/)cluster/` catches '../cluster/x.js' and '../../cluster/x.js' alike. No layer has a
// subfolder named after another layer; keep it that way, or these patterns would misfire.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** One restricted-import pattern: a regex on the specifier and why it is refused. */
const no = (regex, message, extra = {}) => ({ regex, message, ...extra });

const PLATFORMS = no('(^|/)platforms/', 'a platform is an adapter at the edge: this layer must not know one');
const CLUSTER = no('(^|/)cluster/', 'the cluster is one runtime: reach it through a port chosen in src/app.ts');
const HTTP = no('(^|/)http/', 'the HTTP server belongs to the app and the platforms');
const APP = no('(^|/)(app|main)\\.js$', 'src/app.ts wires the layers; nothing below it imports it');
const CLI = no('(^|/)cli/', 'the CLI is an entry point, not a library');
const COMMANDS = no('(^|/)commands/', 'commands sit above this layer');
const CORE = no('(^|/)core/', 'this layer sits below the core');
const APPLICATION = no('(^|/)application/', 'use cases sit above this layer');
/** The store's implementation: everything in src/store except interfaces.ts. */
const STORE_IMPL = no('(^|/)store/(?!interfaces\\.js$)', 'import the store interfaces (src/store/interfaces.ts), not its implementation');
/** The interfaces themselves, as types only: the core never loads the store. */
const STORE_TYPES = no('(^|/)store/interfaces\\.js$', 'the store interfaces are imported with `import type`', { allowTypeImports: true });

/** Every file under src/platforms. A later layer for some of them repeats these: ESLint replaces a rule's options, it does not add to them. */
const PLATFORM_LAYER = [CLUSTER, STORE_IMPL, APP, CLI];

const layer = (files, patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.dist-*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // TypeScript files need no globals list (typescript-eslint turns no-undef off for them);
    // the few plain JS files (bin/, scripts/, this config) run on Node.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
  {
    rules: {
      // `_` marks a parameter kept for its position (a callback's signature).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A `let` assigned once but read earlier by a closure (main.ts's shutdown reads `app`,
      // which start-up assigns later) cannot be a const: the closure would hit its TDZ.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  layer(['src/domain/**'], [no('^\\.\\./', 'src/domain is the shared vocabulary: it imports no other part of Herald')]),
  layer(['src/store/**'], [CORE, PLATFORMS, CLUSTER, HTTP, APP, CLI, COMMANDS, APPLICATION, no('(^|/)(config|metrics)(/|\\.js$)', 'the store is configured by its caller')]),
  layer(['src/core/**'], [PLATFORMS, CLUSTER, HTTP, APP, CLI, COMMANDS, APPLICATION, STORE_IMPL, STORE_TYPES]),
  layer(['src/platforms/**'], PLATFORM_LAYER),
  layer(['src/cluster/**'], [PLATFORMS, HTTP, APP, CLI, COMMANDS]),
  layer(['src/application/**'], [PLATFORMS, CLUSTER, HTTP, APP, CLI, COMMANDS, STORE_IMPL, STORE_TYPES]),
  // The platform registry (see the layers above): config and the app reach platforms through it.
  layer(['src/config/**'], [no('(^|/)platforms/(?!(registry|module)\\.js$)', 'config reads platforms through src/platforms/registry.ts only'), CLUSTER, APP, CLI, COMMANDS, APPLICATION]),
  layer(['src/app.ts'], [no('(^|/)platforms/(?!(registry|module|adapter)\\.js$)', 'app.ts reaches platforms through src/platforms/registry.ts; a platform is created by its module')]),
  layer(['src/platforms/registry.ts'], [...PLATFORM_LAYER, no('^\\./(?!([a-z0-9-]+/platform|module)\\.js$)', 'the registry lists platform modules (<name>/platform.ts) and nothing else')]),
  layer(['src/platforms/*/platform.ts'], [
    ...PLATFORM_LAYER,
    no('^(?!zod$|\\.)', 'a platform.ts loads no library but zod at start-up; import its client in create()', { allowTypeImports: true }),
    no('^\\./index\\.js$', 'the adapter (and its client library) loads in create(), with await import()', { allowTypeImports: true }),
  ]),
  layer(['src/http/**'], [PLATFORMS, CLUSTER, CORE, APPLICATION, APP, CLI, COMMANDS, no('(^|/)store/', 'the HTTP server knows no store')]),
  layer(['commands/**'], [no('^(\\.\\./)+src/(?!application/|domain/)', 'commands call use cases in src/application and use src/domain only')]),
  {
    // Tests, benches and scripts reach into every layer on purpose.
    files: ['test/**', 'bench/**', 'scripts/**', 'bin/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
