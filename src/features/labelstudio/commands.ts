/**
 * Palette commands of the Label Studio bridge: "Connect Label Set to Label Studio…", "Push
 * Tasks to Label Studio…", "Pull Annotations from Label Studio…" (each asks which label set
 * when no `name` argument is given) and "Refresh Label Studio Status".
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  InputDialog,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { CommandIDs } from '../commandIds';
import { namesFor, StudioAction, StudioModel } from './model';

export interface IStudioCommandOptions {
  app: JupyterFrontEnd;
  model: StudioModel;
  trans: TranslationBundle;
}

export const STUDIO_COMMANDS: { [action in StudioAction]: string } = {
  connect: CommandIDs.connectLabelStudio,
  push: CommandIDs.pushToLabelStudio,
  pull: CommandIDs.pullFromLabelStudio
};

/** Set on the commands this feature runs itself, so that it does not react to them. */
export const FROM_LABEL_STUDIO = 'fromLabelStudio';

const stringArg = (value: unknown): string | null =>
  typeof value === 'string' && value ? value : null;

/**
 * The label set to act on: the `name` argument, else the user's pick among those the action
 * applies to (null when cancelled or when there is none; the user is told why).
 */
export async function pickLabelSet(
  model: StudioModel,
  action: StudioAction,
  trans: TranslationBundle,
  title: string
): Promise<string | null> {
  await model.refresh();
  const names = namesFor(model.entries, action);
  if (names.length === 0) {
    await showDialog({
      title,
      body:
        action === 'connect' || model.entries.length === 0
          ? trans.__(
              'There is no label set yet: create one with "New Label Set…" first.'
            )
          : trans.__(
              'No label set is linked to Label Studio yet: use "Connect Label Set to Label Studio…" first.'
            ),
      buttons: [Dialog.okButton({ label: trans.__('OK') })]
    });
    return null;
  }
  const picked = await InputDialog.getItem({
    title,
    label: trans.__('Label set'),
    items: names
  });
  return picked.button.accept && picked.value ? picked.value : null;
}

export function addStudioCommands(options: IStudioCommandOptions): void {
  const { app, model, trans } = options;
  const titles: { [action in StudioAction]: string } = {
    connect: trans.__('Connect Label Set to Label Studio…'),
    push: trans.__('Push Tasks to Label Studio…'),
    pull: trans.__('Pull Annotations from Label Studio…')
  };
  const captions: { [action in StudioAction]: string } = {
    connect: trans.__(
      'Create a Label Studio project for a label set (label config generated from its choices)'
    ),
    push: trans.__(
      'Send the items of a label set not pushed before to its Label Studio project'
    ),
    pull: trans.__(
      'Bring the annotations made in Label Studio since the last pull into the label set'
    )
  };

  for (const action of ['connect', 'push', 'pull'] as StudioAction[]) {
    app.commands.addCommand(STUDIO_COMMANDS[action], {
      label: args =>
        stringArg(args.name) && !args.isPalette
          ? titles[action].replace('…', '')
          : titles[action],
      caption: captions[action],
      execute: async args => {
        const name =
          stringArg(args.name) ??
          (await pickLabelSet(model, action, trans, titles[action]));
        if (!name) {
          return null;
        }
        const result = await runAction(model, name, action, trans);
        if (
          action === 'pull' &&
          app.commands.hasCommand(CommandIDs.refreshLabelSets)
        ) {
          // The "Label data" section shows the new progress (the flag: no refresh back here).
          void app.commands.execute(CommandIDs.refreshLabelSets, {
            [FROM_LABEL_STUDIO]: true
          });
        }
        return result;
      }
    });
  }

  app.commands.addCommand(CommandIDs.refreshLabelStudio, {
    label: trans.__('Refresh Label Studio Status'),
    caption: trans.__(
      'Read the sync status and counts of the label sets linked to Label Studio'
    ),
    execute: () => model.refresh()
  });
}

/** Run an action and tell the user how it ended (the panel shows the same, in place). */
export async function runAction(
  model: StudioModel,
  name: string,
  action: StudioAction,
  trans: TranslationBundle
): Promise<unknown> {
  if (model.entry(name)?.job) {
    Notification.info(
      trans.__('%1: a push or pull is already running.', name),
      { autoClose: 4000 }
    );
    return null;
  }
  const result =
    action === 'connect'
      ? await model.connect(name)
      : action === 'push'
        ? await model.push(name)
        : await model.pull(name);
  const entry = model.entry(name);
  if (entry?.problem) {
    Notification.error(`${name}: ${entry.problem.message}`, {
      autoClose: 8000
    });
  } else if (entry?.outcome) {
    Notification.success(`${name}: ${entry.outcome}`, { autoClose: 5000 });
  }
  return result;
}
