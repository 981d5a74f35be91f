// Jest transpiles the ES modules that JupyterLab and Lumino ship through babel.
module.exports = require('@jupyterlab/testing/lib/babel-config');
