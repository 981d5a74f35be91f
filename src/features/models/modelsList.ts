/**
 * The published models the sidebar's "Models" section lists (most recently published first).
 * Talks only to `IModelsApi`.
 */
import { asApiError, WorkbenchApiError } from '../../api/errors';
import { ServerList } from '../shared/serverList';
import { IModelsApi, ModelSummary } from './types';

export class ModelsListModel extends ServerList<
  ModelSummary,
  WorkbenchApiError
> {
  constructor(readonly api: IModelsApi) {
    super();
  }

  get models(): readonly ModelSummary[] {
    return this.items;
  }

  protected read(): Promise<ModelSummary[]> {
    return this.api.listModels();
  }

  protected asError(error: unknown): WorkbenchApiError {
    return asApiError(error);
  }
}

/** A model's aliases as badges: `production → v3`, sorted with production and staging first. */
export function aliasBadges(aliases: {
  [alias: string]: number | null;
}): { alias: string; version: number | null }[] {
  const order = (alias: string) =>
    alias === 'production' ? 0 : alias === 'staging' ? 1 : 2;
  return Object.entries(aliases)
    .map(([alias, version]) => ({ alias, version }))
    .sort(
      (a, b) =>
        order(a.alias) - order(b.alias) || a.alias.localeCompare(b.alias)
    );
}
