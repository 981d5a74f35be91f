/**
 * The labeler main-area widget. Plain DOM on purpose: the panel is built once, and a key press
 * replaces only the item's content and the choices' pressed state, so the next item shows
 * within a frame. Each key press that shows another item leaves a `performance.measure` entry
 * (key down to the frame after the update, with the handler's own time in its detail) named
 * `LATENCY_MEASURE`, read by the browser test.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { renderItem, prefetchImages } from './itemView';
import { actionOf, keyHelp, LabelerAction } from './keys';
import { keyId, LabelerModel } from './model';
import { LabelFilter } from './types';

/** The performance entry of one key press -> next item painted. */
export const LATENCY_MEASURE = 'mlwb-labeler:key-to-next-item';

/** Items ahead of the cursor whose images are loaded early. */
const IMAGES_AHEAD = 3;

export interface ILabelerViewOptions {
  model: LabelerModel;
  trans: TranslationBundle;
  /** Resolves a server image URL for the browser (base URL, session). */
  imageUrl: (url: string) => string;
}

/** The filters in the order the menu lists them. */
export const FILTERS: LabelFilter[] = [
  'unlabeled',
  'all',
  'disagreements',
  'uncertain'
];

export function filterLabel(
  filter: LabelFilter,
  trans: TranslationBundle
): string {
  switch (filter) {
    case 'unlabeled':
      return trans.__('Unlabeled only');
    case 'all':
      return trans.__('All items');
    case 'disagreements':
      return trans.__('Disagreements');
    case 'uncertain':
      return trans.__('Lowest model confidence first');
  }
}

export class LabelerView extends Widget {
  constructor(options: ILabelerViewOptions) {
    super();
    this._model = options.model;
    this._trans = options.trans;
    this._imageUrl = options.imageUrl;
    this.addClass('mlwb-Labeler');
    this.node.tabIndex = 0;
    this.node.setAttribute('role', 'application');
    this.node.setAttribute(
      'aria-label',
      this._trans.__('Labeler for %1', this._model.labelSet.name)
    );
    this.node.setAttribute('aria-roledescription', this._trans.__('labeler'));
    this._build();
    this._model.itemChanged.connect(this._renderItem, this);
    this._model.progressChanged.connect(this._renderProgress, this);
    this._model.stateChanged.connect(this._renderState, this);
    this._renderItem();
    this._renderProgress();
    this._renderState();
  }

  get model(): LabelerModel {
    return this._model;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.dispose();
    super.dispose();
  }

  handleEvent(event: Event): void {
    if (event.type === 'keydown') {
      this._onKeyDown(event as KeyboardEvent);
    }
  }

  /** Do what a key (or a button standing for one) does. */
  act(action: LabelerAction): void {
    const m = this._model;
    switch (action.kind) {
      case 'pick':
        m.pick(action.choice);
        break;
      case 'confirm':
        m.confirm();
        break;
      case 'skip':
        m.skip();
        break;
      case 'undo':
        m.undo();
        break;
      case 'next':
        m.next();
        break;
      case 'previous':
        m.previous();
        break;
    }
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.node.addEventListener('keydown', this);
  }

  protected onBeforeDetach(msg: Message): void {
    this.node.removeEventListener('keydown', this);
    super.onBeforeDetach(msg);
  }

  protected onActivateRequest(msg: Message): void {
    this.node.focus();
  }

  private _onKeyDown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement | null;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      return;
    }
    const action = actionOf(event, this._model.choices.length);
    if (!action) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    const before = this._shownKey;
    this.act(action);
    if (this._shownKey !== before) {
      measureToNextPaint(event.timeStamp, performance.now());
    }
  }

  private _build(): void {
    const t = this._trans;
    const m = this._model;
    const doc = this.node.ownerDocument;
    const el = <K extends keyof HTMLElementTagNameMap>(
      tag: K,
      className: string,
      parent: HTMLElement
    ): HTMLElementTagNameMap[K] => {
      const node = doc.createElement(tag);
      node.className = className;
      parent.appendChild(node);
      return node;
    };

    const header = el('div', 'mlwb-Labeler-header', this.node);
    const title = el('h2', 'mlwb-Labeler-title', header);
    title.textContent = m.labelSet.name;
    title.title = m.labelSet.sql;

    const filterLabelNode = el('label', 'mlwb-Labeler-filterLabel', header);
    filterLabelNode.textContent = t.__('Show');
    const select = el('select', 'mlwb-Labeler-filter jp-mod-styled', header);
    select.dataset.testid = 'mlwb-labeler-filter';
    select.id = `${this.id || 'mlwb-labeler'}-filter-${++viewCount}`;
    filterLabelNode.htmlFor = select.id;
    for (const filter of FILTERS) {
      const option = el('option', '', select);
      option.value = filter;
      option.textContent = filterLabel(filter, t);
    }
    select.value = m.filter;
    select.addEventListener('change', () => {
      void m.setFilter(select.value as LabelFilter);
      this.node.focus();
    });
    this._filter = select;
    const train = el('button', 'mlwb-Labeler-train jp-Button', header);
    train.dataset.testid = 'mlwb-labeler-train';
    train.title = t.__(
      'Fit a quick model on the labels so far and rank the unlabeled items, least confident first'
    );
    train.addEventListener('click', () => {
      void m.refreshQueue();
      this.node.focus();
    });
    this._train = train;

    const progress = el(
      'div',
      'mlwb-ProgressBar mlwb-Labeler-progress',
      header
    );
    progress.dataset.testid = 'mlwb-labeler-progress';
    progress.setAttribute('role', 'progressbar');
    progress.setAttribute('aria-label', t.__('Items labeled'));
    progress.setAttribute('aria-valuemin', '0');
    this._progressBar = el('div', 'mlwb-ProgressBar-fill', progress);
    this._progressText = el('span', 'mlwb-Labeler-progressText', header);
    this._progress = progress;

    this._notice = el('div', 'mlwb-Labeler-notice', this.node);
    this._notice.dataset.testid = 'mlwb-labeler-notice';
    this._notice.setAttribute('role', 'status');

    this._error = el('div', 'mlwb-Labeler-error', this.node);
    this._error.dataset.testid = 'mlwb-labeler-error';
    this._error.setAttribute('role', 'alert');

    this._item = el('div', 'mlwb-Labeler-item', this.node);
    this._item.dataset.testid = 'mlwb-labeler-item';
    this._item.setAttribute('aria-live', 'polite');

    const choices = el('div', 'mlwb-Labeler-choices', this.node);
    choices.setAttribute('role', 'group');
    choices.setAttribute('aria-label', t.__('Labels'));
    m.choices.forEach((choice, i) => {
      const button = el('button', 'mlwb-Labeler-choice jp-Button', choices);
      button.dataset.label = choice;
      button.setAttribute('aria-pressed', 'false');
      const key = el('kbd', 'mlwb-Labeler-key', button);
      key.textContent = i < 9 ? String(i + 1) : '';
      el('span', 'mlwb-Labeler-choiceLabel', button).textContent = choice;
      button.title = i < 9 ? t.__('%1 (key %2)', choice, i + 1) : choice;
      button.addEventListener('click', () => {
        this.act({ kind: 'pick', choice: i });
        this.node.focus();
      });
      this._choices.push(button);
    });

    const actions = el('div', 'mlwb-Labeler-actions', this.node);
    const button = (
      testid: string,
      text: string,
      title: string,
      action: LabelerAction
    ) => {
      const b = el('button', 'mlwb-Labeler-action jp-Button', actions);
      b.dataset.testid = testid;
      b.textContent = text;
      b.title = title;
      b.addEventListener('click', () => {
        this.act(action);
        this.node.focus();
      });
      return b;
    };
    this._previous = button(
      'mlwb-labeler-previous',
      t.__('← Previous'),
      t.__('Previous item (←)'),
      { kind: 'previous' }
    );
    if (m.multi) {
      this._confirm = button(
        'mlwb-labeler-confirm',
        t.__('Save ↵'),
        t.__('Save the picked labels (Enter)'),
        { kind: 'confirm' }
      );
    }
    button('mlwb-labeler-skip', t.__('Skip'), t.__('Skip this item (S)'), {
      kind: 'skip'
    });
    button('mlwb-labeler-undo', t.__('Undo'), t.__('Undo (U or Backspace)'), {
      kind: 'undo'
    });
    this._next = button(
      'mlwb-labeler-next',
      t.__('Next →'),
      t.__('Next item (→)'),
      { kind: 'next' }
    );

    const help = el('details', 'mlwb-Labeler-help', this.node);
    help.dataset.testid = 'mlwb-labeler-help';
    help.open = true;
    el('summary', '', help).textContent = t.__('Keys');
    const list = el('dl', 'mlwb-Labeler-helpList', help);
    for (const [keys, what] of keyHelp(m.multi, m.choices.length, t)) {
      el('dt', '', list).textContent = keys;
      el('dd', '', list).textContent = what;
    }
  }

  private _renderItem(): void {
    const m = this._model;
    const item = m.current;
    const state = m.cursorState;
    const node = this._item;
    node.dataset.state = state;
    this._shownKey = item ? keyId(item.key) : `:${state}`;
    if (item) {
      node.dataset.key = String(item.key);
      node.dataset.position = String(item.position);
      node.dataset.skipped = String(item.skipped);
      node.dataset.disagreement = String(item.disagreement);
      node.replaceChildren(
        renderItem(item, {
          kind: m.labelSet.kind,
          trans: this._trans,
          imageUrl: this._imageUrl,
          doc: node.ownerDocument
        })
      );
      prefetchImages(
        m.items.slice(m.index + 1, m.index + 1 + IMAGES_AHEAD),
        this._imageUrl
      );
    } else {
      delete node.dataset.key;
      delete node.dataset.position;
      const message = node.ownerDocument.createElement('div');
      message.className = 'mlwb-Labeler-empty';
      message.textContent =
        state === 'loading'
          ? this._trans.__('Loading items…')
          : m.items.length === 0
            ? this._trans.__('No items to label under this filter.')
            : this._trans.__(
                'All done: no more items under this filter. Press U to undo, ← to go back.'
              );
      node.replaceChildren(message);
    }
    const chosen = m.chosen;
    for (const button of this._choices) {
      const on = chosen.has(button.dataset.label ?? '');
      button.setAttribute('aria-pressed', String(on));
      button.classList.toggle('mlwb-mod-chosen', on);
      button.disabled = !item;
    }
    this._previous.disabled = m.index === 0;
    this._next.disabled = !item;
    if (this._confirm) {
      this._confirm.disabled = !item;
    }
  }

  private _renderProgress(): void {
    const m = this._model;
    const p = m.progress;
    const node = this._progress;
    node.dataset.labeled = String(p.labeled);
    node.dataset.total = String(p.total);
    node.dataset.skipped = String(p.skipped);
    node.dataset.pending = String(m.pendingWrites);
    node.setAttribute('aria-valuemax', String(p.total));
    node.setAttribute('aria-valuenow', String(p.labeled));
    const share = p.total > 0 ? p.labeled / p.total : 0;
    this._progressBar.style.width = `${(share * 100).toFixed(2)}%`;
    const t = this._trans;
    const parts = [
      t.__(
        '%1 / %2 labeled',
        p.labeled.toLocaleString(),
        p.total.toLocaleString()
      )
    ];
    if (p.skipped > 0) {
      parts.push(t.__('%1 skipped', p.skipped.toLocaleString()));
    }
    if (p.disagreements > 0) {
      parts.push(t.__('%1 disagreements', p.disagreements.toLocaleString()));
    }
    if (m.pendingWrites > 0) {
      parts.push(t.__('saving…'));
    }
    const text = parts.join(' · ');
    node.setAttribute('aria-valuetext', text);
    this._progressText.textContent = text;
  }

  private _renderState(): void {
    const m = this._model;
    const t = this._trans;
    if (this._filter.value !== m.filter) {
      this._filter.value = m.filter;
    }
    this._train.hidden = m.filter !== 'uncertain';
    this._train.disabled = m.training;
    this._train.textContent = m.training
      ? t.__('Training the queue model…')
      : t.__('Train queue model');
    const notice = m.notice;
    let text = '';
    if (notice) {
      switch (notice.code) {
        case 'pick-multi':
          text = t.__('Pick one or more labels (1-9), then Enter. S skips.');
          break;
        case 'pick-single':
          text = t.__('Pick a label (1-9). S skips.');
          break;
        case 'nothing-to-undo':
          text = t.__('Nothing to undo.');
          break;
        case 'server':
          text = notice.message ?? '';
          break;
      }
    }
    this._notice.textContent = text;
    this._notice.dataset.code = notice?.code ?? '';
    this._notice.hidden = !text;

    const error = m.error;
    this._error.replaceChildren();
    this._error.hidden = !error;
    if (error) {
      this._error.dataset.action = error.action;
      const doc = this._error.ownerDocument;
      const message = doc.createElement('span');
      message.className = 'mlwb-Labeler-errorMessage';
      const key = String(error.key ?? '');
      switch (error.action) {
        case 'save':
          message.textContent = t.__(
            'Not saved: "%1" on item %2 (the item is back in front). %3',
            (error.labels ?? []).join(', '),
            key,
            error.message
          );
          break;
        case 'skip':
          message.textContent = t.__(
            'Skip not saved on item %1 (the item is back in front). %2',
            key,
            error.message
          );
          break;
        case 'undo':
          message.textContent = t.__(
            'Undo failed on item %1 (its label is kept). %2',
            key,
            error.message
          );
          break;
        case 'load':
          message.textContent = t.__('Could not load items. %1', error.message);
          break;
      }
      const dismiss = doc.createElement('button');
      dismiss.className = 'mlwb-Labeler-dismiss jp-Button jp-mod-minimal';
      dismiss.textContent = '×';
      dismiss.title = t.__('Dismiss');
      dismiss.setAttribute('aria-label', t.__('Dismiss the error'));
      dismiss.addEventListener('click', () => {
        m.dismissError();
        this.node.focus();
      });
      this._error.append(message, dismiss);
    }
  }

  private readonly _model: LabelerModel;
  private readonly _trans: TranslationBundle;
  private readonly _imageUrl: (url: string) => string;
  private _filter!: HTMLSelectElement;
  private _train!: HTMLButtonElement;
  private _progress!: HTMLDivElement;
  private _progressBar!: HTMLDivElement;
  private _progressText!: HTMLSpanElement;
  private _notice!: HTMLDivElement;
  private _error!: HTMLDivElement;
  private _item!: HTMLDivElement;
  private _previous!: HTMLButtonElement;
  private _next!: HTMLButtonElement;
  private _confirm: HTMLButtonElement | null = null;
  private readonly _choices: HTMLButtonElement[] = [];
  /** What the item area shows (an item key, or the loading/done state). */
  private _shownKey = '';
}

let viewCount = 0;

/**
 * Record key down -> the frame after the DOM update, as a performance measure; its detail
 * says how long the key's own work took (`handled_ms`, to the end of the DOM update).
 */
function measureToNextPaint(start: number, handled: number): void {
  if (typeof requestAnimationFrame === 'undefined') {
    return;
  }
  requestAnimationFrame(() => {
    // The callback runs before the paint; a task queued from it runs after.
    setTimeout(() => {
      try {
        performance.measure(LATENCY_MEASURE, {
          start,
          end: performance.now(),
          detail: { handled_ms: handled - start }
        });
      } catch {
        // An old browser without User Timing 3: nothing to record.
      }
    }, 0);
  });
}
