// Babel plugin for jest, which on Node 20 runs CommonJS only. It prepares the ES
// modules and bundles of some packages for the CommonJS transform:
// - code that declares its own `require` (`const require = createRequire(import.meta.url)`)
//   would shadow the `require` that the module and import.meta transforms emit, so each
//   such binding is renamed before anything is emitted;
// - dynamic import() needs --experimental-vm-modules under jest; it becomes require(),
//   also in CommonJS bundles (PGlite's), which the module transform leaves alone.
module.exports = function esmInterop({ template }) {
  const dynamicImport = template.expression(
    'Promise.resolve().then(() => { const m = require(SPECIFIER); return m && m.__esModule ? m : Object.assign({ default: m }, m); })',
  );
  const renameRequire = (path) => {
    if (path.scope.hasOwnBinding('require')) path.scope.rename('require');
  };
  return {
    name: 'jest-esm-interop',
    visitor: {
      Program(path) {
        renameRequire(path);
        path.traverse({ Scopable: renameRequire });
      },
      CallExpression(path) {
        if (path.node.callee.type !== 'Import') return;
        path.replaceWith(dynamicImport({ SPECIFIER: path.node.arguments[0] }));
      },
    },
  };
};
