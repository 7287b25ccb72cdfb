// `npm run bench:device:pack [-- --with-node]`: builds .device/ (git-ignored), what the device machine needs
// to run bench/device/gpu.ts without node_modules, tsx or a network (bench/device/README.md): gpu.ts and
// the engine bundled into one ES module by esbuild (tsx's, in node_modules) with the WGSL `?raw` imports
// inlined as text; npm `webgpu`'s loader and its Linux x64 Dawn binary (xz); the commit; with --with-node,
// this Node binary (xz) for a machine without one. Prints what it wrote and the bytes that would travel.
// Not a general build: the app is built by Vite.
import { execFileSync, execSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const out = join(root, '.device');
const { values } = parseArgs({ options: { 'with-node': { type: 'boolean', default: false } } });

/** Vite's `?raw` imports as text; raw-imports.ts (the Node hook that does this under tsx) as nothing;
 *  transformers.js' native back ends, never reached by the tokenizer gpu.ts uses, as nothing. */
const plugin = {
  name: 'editscope-device',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: join(args.resolveDir, args.path.replace(/\?raw$/, '')),
      namespace: 'raw',
    }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, (args) => ({
      contents: readFileSync(args.path, 'utf8'),
      loader: 'text',
    }));
    b.onResolve({ filter: /raw-imports$|^onnxruntime-node$|^sharp$/ }, (args) => ({
      path: args.path,
      namespace: 'empty',
    }));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export default {};', loader: 'js' }));
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'bench'), { recursive: true });
// Two folders down, like bench/device/gpu.ts, so that its repository-root path holds in the bundle too.
await build({
  entryPoints: [join(root, 'bench', 'device', 'gpu.ts')],
  outfile: join(out, 'bench', 'gpu.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  plugins: [plugin],
  // esbuild's ESM output has no `require` for the CommonJS code it bundles.
  banner: {
    js: "import { createRequire as bannerRequire } from 'node:module'; const require = bannerRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

const webgpu = join(root, 'node_modules', 'webgpu');
const webgpuOut = join(out, 'node_modules', 'webgpu');
mkdirSync(join(webgpuOut, 'dist', 'linux-x64'), { recursive: true });
for (const file of ['package.json', 'index.js']) copyFileSync(join(webgpu, file), join(webgpuOut, file));
const xz = (from, to) =>
  writeFileSync(to, execFileSync('xz', ['-9', '-T1', '-c', from], { maxBuffer: 1 << 30 }));
xz(join(webgpu, 'dist', 'linux-x64', 'dawn.node'), join(webgpuOut, 'dist', 'linux-x64', 'dawn.node.xz'));
if (values['with-node']) xz(process.execPath, join(out, 'node.xz'));
const dirty = execSync('git status --porcelain -- src bench tools', { cwd: root }).toString().trim();
const head = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
writeFileSync(join(out, 'commit'), `${head}${dirty ? '+uncommitted' : ''}\n`);

const files = execSync('find .device -type f', { cwd: root }).toString().trim().split('\n');
const sizes = Object.fromEntries(files.map((f) => [f, statSync(join(root, f)).size]));
const tree = execSync('git ls-files -co --exclude-standard -z', { cwd: root })
  .toString()
  .split('\0')
  .filter(Boolean)
  .reduce((n, f) => {
    try {
      return n + statSync(join(root, f)).size;
    } catch {
      return n; // deleted in the working tree: does not travel
    }
  }, 0);
const gl = (() => {
  try {
    return execSync('du -cb .gl', { cwd: root }).toString().trim().split('\n').at(-1).split('\t')[0];
  } catch {
    return '0';
  }
})();
const carried = Object.values(sizes).reduce((a, b) => a + b, 0);
const MiB = (n) => +(n / 2 ** 20).toFixed(2);
console.log(
  JSON.stringify(
    {
      files: sizes,
      travels: {
        treeMiB: MiB(tree),
        deviceMiB: MiB(carried),
        glMiB: MiB(Number(gl)),
        totalMiB: MiB(tree + carried + Number(gl)),
        limitMiB: 64,
      },
    },
    null,
    2,
  ),
);
