/**
 * A run's HTML export in a main-area tab: the page the server made of the executed notebook,
 * shown in a sandboxed iframe (scripts may run, but not as JupyterLab's origin).
 */
import { Widget } from '@lumino/widgets';

export class RunHtmlView extends Widget {
  constructor(readonly runId: number) {
    super();
    this.addClass('mlwb-JobHtml');
    this.node.dataset.runId = String(runId);
    this._frame = document.createElement('iframe');
    this._frame.setAttribute('sandbox', 'allow-scripts');
    this._frame.className = 'mlwb-JobHtml-frame';
    this._message = document.createElement('div');
    this._message.className = 'mlwb-JobHtml-message';
    this.node.append(this._message, this._frame);
  }

  /** Show the page. */
  setHtml(html: string): void {
    this._message.textContent = '';
    this._frame.srcdoc = html;
  }

  /** Show why there is no page (or that it is being made). */
  setMessage(text: string): void {
    this._message.textContent = text;
  }

  private readonly _frame: HTMLIFrameElement;
  private readonly _message: HTMLDivElement;
}
