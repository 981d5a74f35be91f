/**
 * A version's model card: its markdown rendered by JupyterLab's rendermime (untrusted: the
 * sanitizer applies), and "Edit card", a textarea whose Save PUTs the new card.
 */
import { MimeModel } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import * as React from 'react';

import { IChartRenderers } from '../shared/vegaLite';
import { ModelViewModel } from './model';
import { DescribeModelVersion } from './types';

export const MARKDOWN = 'text/markdown';

/** Render markdown into `host` with the registry's markdown renderer. */
export async function renderMarkdown(
  renderers: IChartRenderers,
  markdown: string,
  host: HTMLElement
): Promise<IRenderMime.IRenderer> {
  const renderer = renderers.createRenderer(MARKDOWN);
  host.textContent = '';
  Widget.attach(renderer, host);
  await renderer.renderModel(
    new MimeModel({ data: { [MARKDOWN]: markdown }, trusted: false })
  );
  return renderer;
}

export function CardView(props: {
  model: ModelViewModel;
  version: DescribeModelVersion;
  trans: TranslationBundle;
  renderers: IChartRenderers;
}): JSX.Element {
  const { model, version, trans } = props;
  const host = React.useRef<HTMLDivElement>(null);
  const [editing, setEditing] = React.useState<string | null>(null);
  React.useEffect(() => {
    if (!host.current || editing !== null) {
      return;
    }
    let renderer: IRenderMime.IRenderer | null = null;
    let disposed = false;
    void renderMarkdown(props.renderers, version.card, host.current).then(r => {
      renderer = r;
      if (disposed) {
        r.dispose();
      }
    });
    return () => {
      disposed = true;
      renderer?.dispose();
    };
  }, [version.card, editing === null]);
  return (
    <section className="mlwb-ModelView-card">
      <div className="mlwb-ModelView-cardBar">
        <h4>{trans.__('Model card')}</h4>
        {editing === null ? (
          <Button
            minimal
            small
            data-testid="mlwb-model-card-edit"
            onClick={() => setEditing(version.card)}
          >
            {trans.__('Edit card')}
          </Button>
        ) : null}
      </div>
      {editing === null ? (
        <div
          ref={host}
          className="mlwb-ModelView-cardBody"
          data-testid="mlwb-model-card"
        />
      ) : (
        <div className="mlwb-ModelView-cardEditor">
          <textarea
            className="jp-mod-styled"
            data-testid="mlwb-model-card-text"
            aria-label={trans.__('Model card (markdown)')}
            value={editing}
            rows={16}
            onChange={e => setEditing(e.target.value)}
          />
          <div className="mlwb-ModelView-cardButtons">
            <Button
              data-testid="mlwb-model-card-save"
              disabled={model.busy !== null}
              onClick={async () => {
                if (await model.saveCard(editing)) {
                  setEditing(null);
                }
              }}
            >
              {model.busy === 'card' ? trans.__('Saving…') : trans.__('Save')}
            </Button>
            <Button minimal onClick={() => setEditing(null)}>
              {trans.__('Cancel')}
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}
