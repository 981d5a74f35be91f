/**
 * "Run as job…": the form in a dialog with Cancel, "Save job" and "Run now" (an edited job:
 * Cancel and Save). The dialog stays open while the values are checked and sent, and when
 * they are refused (the errors then show next to their fields); it closes with the run
 * started or the job saved.
 */
import { Dialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { RunFormModel } from './form';
import { JobForm } from './JobForm';
import { JobInfo, JobRunInfo } from './types';

/** What the dialog ended with. */
export type JobDialogOutcome =
  { kind: 'run'; run: JobRunInfo } | { kind: 'job'; job: JobInfo } | null;

/** The dialog's body: the form, re-rendered on its changes. */
export class JobFormWidget extends ReactWidget {
  constructor(
    readonly form: RunFormModel,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('mlwb-JobFormWidget');
  }

  /** What the dialog ended with (set before it resolves). */
  outcome: JobDialogOutcome = null;

  getValue(): JobDialogOutcome {
    return this.outcome;
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this.form.changed}>
        {() => <JobForm form={this.form} trans={this._trans} />}
      </UseSignal>
    );
  }
}

const RUN = 'mlwb-run-now';
const SAVE = 'mlwb-save-job';

/** A dialog whose Run now / Save first submit the form, and close only once it is accepted. */
export class JobDialog extends Dialog<JobDialogOutcome> {
  constructor(
    options: Partial<Dialog.IOptions<JobDialogOutcome>> & {
      body: JobFormWidget;
      buttons: ReadonlyArray<Dialog.IButton>;
    }
  ) {
    super(options);
    this._form = options.body;
    this._buttonList = options.buttons;
  }

  resolve(index?: number): void {
    const i = index ?? this._buttonList.length - 1;
    const button = this._buttonList[i];
    const action = button?.actions.find(a => a === RUN || a === SAVE);
    if (!action) {
      super.resolve(i);
      return;
    }
    if (this._busy) {
      return;
    }
    this._busy = true;
    void this._submit(action).then(ok => {
      this._busy = false;
      if (ok && !this.isDisposed) {
        super.resolve(i);
      }
    });
  }

  private async _submit(action: string): Promise<boolean> {
    const body = this._form;
    if (action === RUN) {
      const run = await body.form.runNow();
      body.outcome = run ? { kind: 'run', run } : null;
      return !!run;
    }
    const job = await body.form.save();
    body.outcome = job ? { kind: 'job', job } : null;
    return !!job;
  }

  private readonly _form: JobFormWidget;
  private readonly _buttonList: ReadonlyArray<Dialog.IButton>;
  private _busy = false;
}

/** Show the form; answers the run started or the job saved (null: cancelled). */
export async function showJobDialog(options: {
  form: RunFormModel;
  trans: TranslationBundle;
}): Promise<JobDialogOutcome> {
  const { form, trans } = options;
  const body = new JobFormWidget(form, trans);
  const buttons = form.job
    ? [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Save'), actions: [SAVE] })
      ]
    : [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({
          label: trans.__('Save job'),
          displayType: 'default',
          actions: [SAVE]
        }),
        Dialog.okButton({ label: trans.__('Run now'), actions: [RUN] })
      ];
  const dialog = new JobDialog({
    title: form.job
      ? trans.__('Edit job %1', form.job.name)
      : trans.__('Run %1 as a job', form.notebook),
    body,
    buttons,
    focusNodeSelector: 'input'
  });
  dialog.addClass('mlwb-JobDialog');
  void form.load();
  try {
    const result = await dialog.launch();
    return result.button.accept ? result.value : null;
  } finally {
    form.dispose();
  }
}
