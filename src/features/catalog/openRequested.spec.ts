import { openRequested } from './openRequested';

describe('openRequested', () => {
  it.each([
    '?mlworkbench=open',
    'mlworkbench=open',
    '?reset&mlworkbench=open',
    '?mlworkbench=OPEN',
    '?foo=1&mlworkbench=open&bar=2',
    '?mlworkbench=no&mlworkbench=open'
  ])('opens the sidebar for %s', search =>
    expect(openRequested(search)).toBe(true)
  );

  it.each([
    '',
    '?',
    '?mlworkbench',
    '?mlworkbench=',
    '?mlworkbench=closed',
    '?open=mlworkbench',
    '?xmlworkbench=open'
  ])('leaves the layout alone for %s', search =>
    expect(openRequested(search)).toBe(false)
  );
});
