const jestJupyterLab = require('@jupyterlab/testing/lib/jest-config');

// ES-module-only packages that jest must transform (on top of @jupyterlab/testing's list).
const esModules = [
  '@codemirror',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@jupyter/ydoc',
  '@jupyterlab/',
  '@lezer',
  '@marijn',
  '@microsoft',
  'color',
  'exenv-es6',
  'lib0',
  'marked',
  'nanoid',
  'style-mod',
  'vscode-ws-jsonrpc',
  'w3c-keyname',
  'crelt',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const baseConfig = jestJupyterLab(__dirname);

module.exports = {
  ...baseConfig,
  automock: false,
  collectCoverageFrom: [
    'src/**/*.{ts,tsx}',
    '!src/**/*.d.ts',
    '!src/api/types.ts'
  ],
  coverageReporters: ['lcov', 'text-summary'],
  reporters: ['default', 'jest-junit'],
  setupFiles: [...baseConfig.setupFiles, '<rootDir>/jest.canvas-mock.js'],
  testRegex: 'src/.*\\.spec\\.tsx?$',
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
};
