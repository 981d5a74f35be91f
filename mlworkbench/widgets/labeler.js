// The notebook labeler's view (an anywidget ES module). The kernel holds the state and records
// every label; this file draws the synced traits and sends the user's actions. The keys are the
// panel's: 1-9 pick, Enter confirms, S skips, U or Backspace undoes, arrows move.

const FILTERS = [
  ['unlabeled', 'Unlabeled'],
  ['all', 'All items'],
  ['disagreements', 'Disagreements'],
  ['uncertain', 'Least confident first']
];

/** The action of a key press, or null (left to the browser and JupyterLab). */
export function actionOf(event, choiceCount) {
  if (event.ctrlKey || event.metaKey || event.altKey) {
    return null;
  }
  const key = event.key;
  if (/^[1-9]$/.test(key)) {
    const choice = Number(key) - 1;
    return choice < choiceCount ? { action: 'pick', choice } : null;
  }
  switch (key) {
    case 'Enter':
      return { action: 'confirm' };
    case 's':
    case 'S':
      return { action: 'skip' };
    case 'u':
    case 'U':
    case 'Backspace':
      return { action: 'undo' };
    case 'ArrowRight':
      return { action: 'next' };
    case 'ArrowLeft':
      return { action: 'previous' };
    default:
      return null;
  }
}

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'className') {
      node.className = value;
    } else if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else if (value !== undefined && value !== null && value !== false) {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

/**
 * An image URL as the browser can load it. The kernel inlines the local images it can read;
 * the others name the server's image route, relative to the mlworkbench API under the base URL.
 */
function imageSource(url) {
  if (/^(https?:|data:|blob:)/.test(url)) {
    return url;
  }
  let base = '/';
  const config = document.getElementById('jupyter-config-data');
  if (config) {
    try {
      base = JSON.parse(config.textContent || '{}').baseUrl || '/';
    } catch (e) {
      // no page config: the server root
    }
  }
  return base.replace(/\/$/, '') + '/mlworkbench/api/' + url.replace(/^\//, '');
}

function formatValue(value) {
  if (value === null || value === undefined) {
    return '∅';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function itemCard(model, item) {
  const kind = model.get('kind');
  const images = item.images || {};
  const fields = Object.entries(item.fields || {}).filter(([name]) => !(name in images));
  const card = h('div', { className: `mlwb-lw-card mlwb-lw-kind-${kind}` });
  for (const [column, image] of Object.entries(images)) {
    const missing = h('div', { className: 'mlwb-lw-missing', 'data-column': column },
      `The image in '${column}' is missing. Skip it with S.`);
    if (image.missing && !image.local) {
      card.append(missing);
      continue;
    }
    // A local image the kernel could not read may still be served (and else is missing).
    const img = h('img', { className: 'mlwb-lw-image', src: imageSource(image.url), alt: column,
      'data-column': column });
    img.addEventListener('error', () => img.replaceWith(missing));
    card.append(img);
  }
  if (kind === 'text') {
    for (const [column, value] of fields) {
      card.append(h('div', { className: 'mlwb-lw-text', 'data-column': column }, formatValue(value)));
    }
  } else if (fields.length) {
    card.append(
      h('table', { className: 'mlwb-lw-record' },
        fields.map(([column, value]) =>
          h('tr', {}, h('th', {}, column), h('td', {}, formatValue(value)))))
    );
  }
  return card;
}

function otherLabels(model, item) {
  const mine = model.get('annotator');
  const others = (item.labels || []).filter(l => !(l.annotator === mine && l.source === 'builtin'));
  if (!others.length) {
    return null;
  }
  return h('div', { className: 'mlwb-lw-others' },
    item.disagreement ? h('strong', {}, 'Disagreement: ') : 'Also labeled: ',
    others.map(l => `${l.labels.join(', ')} (${l.annotator}, ${l.source})`).join('; '));
}

function render({ model, el }) {
  const root = h('div', { className: 'mlwb-lw', tabindex: 0, 'data-lm-suppress-shortcuts': 'true' });
  el.append(root);
  const send = message => model.send(message);

  root.addEventListener('keydown', event => {
    const onControl = event.target instanceof HTMLSelectElement ||
      (event.target instanceof HTMLButtonElement && (event.key === 'Enter' || event.key === ' '));
    if (onControl) {
      return; // the control's own key (choose an option, press the button)
    }
    const action = actionOf(event, model.get('choices').length);
    if (action) {
      event.preventDefault();
      event.stopPropagation();
      send(action);
    }
  });

  function draw() {
    const item = model.get('item');
    const choices = model.get('choices');
    const chosen = new Set(model.get('chosen'));
    const progress = model.get('progress') || {};
    const total = progress.total || 0;
    const labeled = progress.labeled || 0;
    const filterTotal = model.get('filter_total');
    const error = model.get('error');
    const notice = model.get('notice');
    const queue = model.get('queue');
    const multi = model.get('multi');

    const select = h('select', { className: 'mlwb-lw-filter', 'aria-label': 'Filter',
      onchange: e => send({ action: 'filter', filter: e.target.value }) },
      FILTERS.map(([value, text]) => h('option', { value, selected: value === model.get('filter') }, text)));
    const head = h('div', { className: 'mlwb-lw-head' },
      h('span', { className: 'mlwb-lw-name' }, model.get('label_set')),
      select,
      h('button', { className: 'mlwb-lw-queue', title: 'Train a quick model on the labels so far and show the least confident items first',
        onclick: () => send({ action: 'refresh_queue' }) }, 'Rank by uncertainty'),
      h('progress', { className: 'mlwb-lw-progress', max: Math.max(total, 1), value: labeled }),
      h('span', { className: 'mlwb-lw-count' },
        `${labeled} / ${total} labeled` + (progress.skipped ? ` · ${progress.skipped} skipped` : '')));

    const body = [];
    if (error) {
      body.push(h('div', { className: 'mlwb-lw-error', role: 'alert' },
        error.message, ' ', h('button', { onclick: () => send({ action: 'dismiss' }) }, 'Dismiss')));
    }
    if (notice) {
      body.push(h('div', { className: 'mlwb-lw-notice' }, notice));
    }
    const scoring = model.get('scoring');
    if (scoring) {
      body.push(h('div', { className: 'mlwb-lw-queueinfo' },
        `Ranking by uncertainty: ${scoring.done.toLocaleString()} of ${scoring.total.toLocaleString()} ` +
        'items scored (interrupt the kernel to stop; the previous queue stays).'));
    } else if (queue) {
      body.push(h('div', { className: 'mlwb-lw-queueinfo' },
        `Queue: ${queue.scored} items by ${queue.strategy} (model ${queue.model_version}, ${queue.trained_on} labels)`));
    }
    if (item) {
      const where = filterTotal >= 0 ? `${model.get('position')} of ${filterTotal}` : `${model.get('position')}`;
      body.push(
        h('div', { className: 'mlwb-lw-where' }, `Item ${formatValue(item.key)} · ${where}`,
          item.skipped ? ' · skipped' : '', item.mine && item.mine.length ? ` · mine: ${item.mine.join(', ')}` : ''),
        itemCard(model, item),
        otherLabels(model, item),
        h('div', { className: 'mlwb-lw-choices' },
          choices.map((choice, i) => h('button', {
            className: 'mlwb-lw-choice' + (chosen.has(choice) ? ' mlwb-mod-chosen' : ''),
            'data-choice': choice,
            'aria-pressed': chosen.has(choice) ? 'true' : 'false',
            onclick: () => send({ action: 'pick', choice: i })
          }, i < 9 ? h('kbd', {}, String(i + 1)) : null, ' ', choice))),
        h('div', { className: 'mlwb-lw-actions' },
          h('button', { onclick: () => send({ action: 'previous' }) }, '← Previous'),
          multi ? h('button', { onclick: () => send({ action: 'confirm' }) }, 'Save (Enter)') : null,
          h('button', { onclick: () => send({ action: 'skip' }) }, 'Skip (S)'),
          h('button', { onclick: () => send({ action: 'undo' }) }, 'Undo (U)'),
          h('button', { onclick: () => send({ action: 'next' }) }, 'Next →'))
      );
    } else {
      body.push(h('div', { className: 'mlwb-lw-done' }, 'No more items under this filter.'),
        h('div', { className: 'mlwb-lw-actions' },
          h('button', { onclick: () => send({ action: 'undo' }) }, 'Undo (U)'),
          h('button', { onclick: () => send({ action: 'previous' }) }, '← Previous')));
    }
    const keys = multi
      ? '1-9 toggle a label · Enter saves · S skip · U/Backspace undo · ←/→ move'
      : '1-9 label and next · Enter keep and next · S skip · U/Backspace undo · ←/→ move';
    const hadFocus = root.contains(document.activeElement);
    root.replaceChildren(head, ...body.filter(Boolean), h('div', { className: 'mlwb-lw-keys' }, keys));
    if (hadFocus && document.activeElement !== root) {
      root.focus({ preventScroll: true });
    }
  }

  // One kernel answer changes several traits at once: draw once for all of them.
  let scheduled = false;
  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        draw();
      });
    }
  };
  const traits = ['item', 'chosen', 'progress', 'filter', 'filter_total', 'position', 'error',
    'notice', 'queue', 'scoring'];
  for (const trait of traits) {
    model.on(`change:${trait}`, schedule);
  }
  draw();
  return () => {
    for (const trait of traits) {
      model.off(`change:${trait}`, schedule);
    }
  };
}

export default { render };
