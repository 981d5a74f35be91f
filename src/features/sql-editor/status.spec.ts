import { nullTranslator } from '@jupyterlab/translation';

import { statusText } from './status';

const trans = nullTranslator.load('mlworkbench');
const base = { totalRows: null, shownRows: 0, elapsedMs: null, message: null };

describe('statusText', () => {
  it('shows the total rows and time when ready', () => {
    expect(
      statusText(
        { ...base, state: 'ready', totalRows: 1_000_000, elapsedMs: 42.4 },
        trans
      )
    ).toBe('1,000,000 rows · 42 ms');
    expect(
      statusText({ ...base, state: 'ready', totalRows: 1, elapsedMs: 1 }, trans)
    ).toBe('1 row · 1 ms');
  });

  it('says counting… while the total is unknown', () => {
    expect(
      statusText(
        { ...base, state: 'counting', shownRows: 500, elapsedMs: 3 },
        trans
      )
    ).toBe('500+ rows · counting… · 3 ms');
  });

  it('shows what a statement without rows did', () => {
    expect(
      statusText(
        {
          ...base,
          state: 'ready',
          totalRows: 0,
          message: 'CREATE VIEW',
          elapsedMs: 2
        },
        trans
      )
    ).toBe('CREATE VIEW · 2 ms');
  });
});
