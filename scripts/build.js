// `npm run build`: bundles the program into dist/ with esbuild. Type checking is tsc's job
// (`npm run typecheck`, part of `npm test`); this only emits JavaScript.
//
// Why bundle: unbundled, Ink + React + es-toolkit alone are ~550 ES modules that Node resolves,
// reads and links one by one before the first frame (0.3–0.7 s), against a bar of 300 ms
// (SPEC §7). One bundle is one file to read and one module to link.
//
// Layout of dist/:
// - cli.js: the entry (keeps its shebang; package.json's `bin`). It holds only what every run
//   needs — argument parsing and help; each command is a dynamic import, and with `splitting`
//   each becomes a chunk that loads only when that command runs. So `--help` stays tiny, the
//   interactive program loads Ink and React, and the Azure SDKs and the sandbox load when a
//   session opens (cloud/connect, cloud/start-sandbox), never before.
// - chunk-*.js beside cli.js, not in a sub-folder: the sandbox finds its Azurite worker as
//   `new URL('./azurite-worker.js', import.meta.url)` from whichever file its code lives in,
//   which after bundling is a chunk in dist/.
// - azurite-worker.js: an entry of its own, because a Worker is started from a file path.
//
// Not bundled (external): Azurite (a dev dependency, located at run time and loaded in the worker
// by path; the published package must run without it); react-devtools-core (Ink imports it only
// when DEV=true and it is installed); and @azure/batch, whose legacy stack (ms-rest-js,
// node-fetch 2, whatwg-url 5, tunnel) requires `punycode` and calls `new Buffer()`: Node prints
// a deprecation warning for those only when the caller is outside node_modules, so bundled they
// would write DEP0040/DEP0005 onto the operator's screen. Loaded from node_modules they stay quiet.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Each output file starts with this. CommonJS packages inside an ES module bundle (React, ajv,
// the Azure SDKs' helpers) still call require() for Node built-ins, and esbuild's shim needs a
// real `require` in scope. And Node's compile cache (node:module enableCompileCache, Node ≥
// 22.1; a no-op where absent or when NODE_DISABLE_COMPILE_CACHE is set) keeps V8's compiled code
// of the chunks on disk, so a launch after the first skips parsing ~2 MB of JavaScript (about
// 50 ms less to the first frame when we measured it). Every chunk calls it; the first call, in cli.js, is the one that counts,
// and in the Azurite worker it also spares the sandbox compiling Azurite's ~3,000 modules.
// The default import, not a named one: Node 22.0 has no such export, and a named import of a
// missing export fails at link time.
const banner = [
  "import __bmtModule from 'node:module';",
  'const require = __bmtModule.createRequire(import.meta.url);',
  '__bmtModule.enableCompileCache?.();',
].join('\n');

/**
 * yoga-layout (Ink's layout engine) ships its WebAssembly inline as a data: URL, yet its
 * Emscripten loader first tries `fetch` on it whenever fetch exists, which in Node loads undici
 * (~25 ms) on the way to the first frame, fails over to decoding the data URL itself, and only
 * then continues. Telling the loader there is no fetch takes it straight to the decoding. If a
 * new yoga release changes the code, the build says so and goes on unpatched.
 */
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(build) {
    build.onLoad(
      { filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        const probe = '"function"!=typeof fetch?Promise.resolve()';
        if (!source.includes(probe)) {
          return {
            contents: source,
            loader: 'js',
            warnings: [
              {
                text: 'yoga-layout changed: its wasm loader is not patched (start-up may pay for undici)',
              },
            ],
          };
        }
        return { contents: source.replace(probe, '!0?Promise.resolve()'), loader: 'js' };
      },
    );
  },
};

/**
 * Builds dist/ from scratch; returns esbuild's metafile (module sizes, for `--analyze`).
 * `outdir` and `plugins` are for what-if builds, e.g. measuring a change to a file before making
 * it: a plugin's onLoad can hand esbuild the changed text.
 */
export async function build({
  analyze = false,
  outdir = path.join(root, 'dist'),
  plugins = [],
} = {}) {
  // A stale file from an older layout (tsc's dist/sandbox/...) would be packed and could shadow
  // the worker lookup, so the folder is rebuilt whole.
  await rm(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: {
      cli: 'source/cli.tsx',
      'azurite-worker': 'source/sandbox/storage-gate/azurite-worker.ts',
    },
    outdir,
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    tsconfig: 'tsconfig.json',
    // React and Ink pick their development builds from NODE_ENV at run time; the production
    // ones are smaller and faster, and the bundle should not depend on the operator's shell.
    define: { 'process.env.NODE_ENV': '"production"' },
    external: ['azurite', 'azurite/*', 'react-devtools-core', '@azure/batch'],
    banner: { js: banner },
    plugins: [yogaWithoutFetch, ...plugins],
    // Whitespace and syntax only: identifiers stay readable in a --debug file's stack trace.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  if (analyze) console.log(await esbuild.analyzeMetafile(result.metafile, { verbose: false }));
  return result.metafile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await build({ analyze: process.argv.includes('--analyze') });
}
