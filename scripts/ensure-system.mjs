// Makes sure the system packages the tests need are present: Debian's Chromium (e2e, WebGPU on
// SwiftShader) and the Vulkan loader (Node WebGPU through Dawn). Installs them with apt when running
// as root; otherwise stops with one line saying what to install. Never downloads a browser itself.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const needs = [
  { pkg: 'chromium', present: () => existsSync('/usr/lib/chromium/chromium') },
  { pkg: 'libvulkan1', present: () => hasLibrary('libvulkan.so.1') },
];

function hasLibrary(name) {
  const out = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' });
  return out.status === 0 && out.stdout.includes(name);
}

const missing = needs.filter((need) => !need.present()).map((need) => need.pkg);
if (missing.length === 0) process.exit(0);

const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync('apt-get', ['--version']).status === 0;
if (!isRoot || !hasApt) {
  console.error(
    `editscope: missing system packages: ${missing.join(' ')} — install them (e.g. sudo apt-get install ${missing.join(' ')}) and rerun.`,
  );
  process.exit(1);
}
console.log(`editscope: installing ${missing.join(' ')} with apt-get…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
  stdio: 'inherit',
  env,
});
