// Three suites: pure specs beside the code, integration specs against the
// event-store dev server and PostgreSQL, and end-to-end specs over HTTP.
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    `<rootDir>/${target}`,
  ]),
);

// Packages whose require() entry point is an ES module.
const esmOnlyPackages = ['@nestjs', '@apollo/server', '@as-integrations/express5', '@electric-sql/pglite'];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleNameMapper,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    // NestJS 12 and some of its companions ship ES modules only, which jest on
    // Node 20 cannot require(); they are compiled to CommonJS on the way in.
    '^.+\\.c?js$': [
      'babel-jest',
      {
        babelrc: false,
        sourceType: 'unambiguous',
        configFile: false,
        plugins: [
          require.resolve('./tools/jest-esm-interop.js'),
          'babel-plugin-transform-import-meta',
          '@babel/plugin-transform-modules-commonjs',
        ],
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
};

module.exports = {
  // A global option in jest 30 (projects cannot set it): generous, because
  // integration and end-to-end specs start servers; unit specs finish in ms.
  testTimeout: 60000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
