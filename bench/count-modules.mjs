// Preload (`node --import ./bench/count-modules.mjs …`) of bench/cli-startup.ts: counts the
// CommonJS modules the process compiles (files under node_modules apart) and its CPU time, and
// writes them as JSON to COUNT_MODULES_OUT when the process exits.
import Module from 'node:module';
import { writeFileSync } from 'node:fs';

const compile = Module.prototype._compile;
let modules = 0;
let packages = 0;
Module.prototype._compile = function countedCompile(content, filename) {
  modules++;
  if (filename.includes('/node_modules/')) packages++;
  return compile.call(this, content, filename);
};
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeFileSync(
    process.env.COUNT_MODULES_OUT,
    JSON.stringify({ modules, packages, cpuSeconds: (user + system) / 1e6 }),
  );
});
