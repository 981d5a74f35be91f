import {
  createRequest,
  emptyForm,
  guessKey,
  parseChoices,
  suggestName
} from './form';

describe('the new label set form', () => {
  it('makes a request from a table with a suggested name', () => {
    const form = {
      ...emptyForm('reviews'),
      key: 'id',
      show: ['text'],
      choices: 'pos, neg,, pos '
    };
    expect(suggestName(form)).toBe('reviews_labels');
    expect(createRequest(form)).toEqual({
      request: {
        name: 'reviews_labels',
        sql: 'SELECT * FROM "reviews"',
        key: 'id',
        choices: ['pos', 'neg'],
        multi: false,
        show: ['text']
      }
    });
  });

  it('takes a query as it is (without a trailing semicolon) and all columns when none is checked', () => {
    const made = createRequest({
      ...emptyForm(),
      source: 'query',
      name: 'big',
      sql: 'SELECT i AS id FROM generate_series(1, 1000000) t(i);\n',
      key: 'id',
      choices: 'a\nb'
    });
    expect(made).toMatchObject({
      request: {
        sql: 'SELECT i AS id FROM generate_series(1, 1000000) t(i)',
        show: null,
        choices: ['a', 'b']
      }
    });
  });

  it('says what is missing', () => {
    expect(createRequest({ ...emptyForm(), name: 'x' })).toEqual({
      problem: 'Choose a table.'
    });
    expect(
      createRequest({ ...emptyForm(), source: 'query', name: 'x' })
    ).toEqual({ problem: 'Write a SELECT query.' });
    expect(createRequest({ ...emptyForm('t'), name: 'x' })).toEqual({
      problem: 'Choose the key column (one value per item).'
    });
    expect(
      createRequest({ ...emptyForm('t'), name: 'x', key: 'id', choices: 'a' })
    ).toEqual({
      problem: 'Give at least two label choices, separated by commas.'
    });
    expect(
      createRequest({
        ...emptyForm('t'),
        name: 'x',
        key: 'id',
        choices: 'a',
        multi: true
      })
    ).toHaveProperty('request');
    expect(
      createRequest({ ...emptyForm('t'), name: 'bad name' })
    ).toHaveProperty('problem');
  });

  it('guesses the key column and parses choices', () => {
    expect(guessKey(['text', 'review_id', 'id'])).toBe('id');
    expect(guessKey(['text', 'review_id'])).toBe('review_id');
    expect(guessKey(['text'])).toBe('text');
    expect(parseChoices(' a , b\nc,a')).toEqual(['a', 'b', 'c']);
  });
});
