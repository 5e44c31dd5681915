// Preloaded (NODE_OPTIONS=--require) into processes that must run the compiled build: loading tsx, TypeScript or
// any .ts file throws, so a process that still needs TypeScript tooling fails to start.
const Module = require('node:module');

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveWithoutTypeScript(request, ...rest) {
  if (/^(tsx|typescript|@swc\/)/.test(request)) throw new Error(`the compiled build must not load ${request}`);
  const file = resolve.call(this, request, ...rest);
  if (/\.ts$/.test(file)) throw new Error(`the compiled build must not load TypeScript source ${file}`);
  return file;
};
