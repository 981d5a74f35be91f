/** The SQL editor's toolbar: Run, Stop, Save as table, Profile, Export CSV, Export Parquet. */
import {
  downloadIcon,
  inspectorIcon as profileIcon,
  ReactWidget,
  runIcon,
  saveIcon,
  stopIcon,
  Toolbar,
  ToolbarButtonComponent,
  UseSignal
} from '@jupyterlab/ui-components';
import { LabIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { SqlEditorContent } from './SqlEditorPanel';

interface IButtonSpec {
  name: string;
  testid: string;
  icon: LabIcon;
  label?: string;
  tooltip: string;
  enabled: () => boolean;
  onClick: () => void;
}

export function addSqlEditorToolbar(
  toolbar: Toolbar,
  content: SqlEditorContent
): void {
  const { model, trans } = content;
  const buttons: IButtonSpec[] = [
    {
      name: 'run',
      testid: 'mlwb-run',
      icon: runIcon,
      label: trans.__('Run'),
      tooltip: trans.__('Run (Shift+Enter)'),
      enabled: () => !model.isRunning,
      onClick: () => void content.run()
    },
    {
      name: 'stop',
      testid: 'mlwb-stop',
      icon: stopIcon,
      tooltip: trans.__('Stop (Escape)'),
      enabled: () => model.isRunning,
      onClick: () => void content.stop()
    },
    {
      name: 'save',
      testid: 'mlwb-save',
      icon: saveIcon,
      label: trans.__('Save as table'),
      tooltip: trans.__('Save the result as a workspace table'),
      enabled: () => model.hasResult,
      onClick: () => void content.saveAsTable()
    },
    {
      name: 'profile',
      testid: 'mlwb-profile',
      icon: profileIcon,
      label: trans.__('Profile'),
      tooltip: trans.__('Profile the columns of the result'),
      enabled: () => model.hasResult,
      onClick: () => content.profileResult()
    },
    {
      name: 'export-csv',
      testid: 'mlwb-export-csv',
      icon: downloadIcon,
      label: trans.__('CSV'),
      tooltip: trans.__('Export the whole result as CSV'),
      enabled: () => model.hasResult,
      onClick: () => void content.exportResult('csv')
    },
    {
      name: 'export-parquet',
      testid: 'mlwb-export-parquet',
      icon: downloadIcon,
      label: trans.__('Parquet'),
      tooltip: trans.__('Export the whole result as Parquet'),
      enabled: () => model.hasResult,
      onClick: () => void content.exportResult('parquet')
    }
  ];
  for (const spec of buttons) {
    const widget = ReactWidget.create(
      <UseSignal signal={model.stateChanged}>
        {() => (
          <ToolbarButtonComponent
            icon={spec.icon}
            label={spec.label}
            tooltip={spec.tooltip}
            enabled={spec.enabled()}
            onClick={spec.onClick}
            dataset={{ testid: spec.testid }}
          />
        )}
      </UseSignal>
    );
    widget.addClass('jp-ToolbarButton');
    toolbar.addItem(spec.name, widget);
  }
}
