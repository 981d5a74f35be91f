// jsdom has no canvas; @lumino/datagrid measures text with one when it is imported.
// A stub context keeps the test output quiet (no grid is painted in unit tests).
HTMLCanvasElement.prototype.getContext = function () {
  return new Proxy(
    { measureText: text => ({ width: String(text).length * 7 }) },
    { get: (target, name) => (name in target ? target[name] : () => undefined) }
  );
};
