/**
 * One model's tab: the model (versions, aliases, alias history), the version shown (signature,
 * lineage, card), alias moves (a gate's refusal kept to show which check failed), the card's
 * edit, and the "Try it" prediction. Talks only to `IModelsApi`; emits `changed`.
 */
import { ISignal, Signal } from '@lumino/signaling';

import { asApiError, WorkbenchApiError } from '../../api/errors';
import {
  DescribeModel,
  DescribeModelVersion,
  IInputRow,
  IModelsApi,
  IPrediction
} from './types';

/** The gate refusal of a move: the failing checks and the metrics they read. */
export interface IGateRefusal {
  message: string;
  alias: string;
  version: number;
  failed: string[];
  results: { check: string; passed: boolean | null }[];
  metrics: { [name: string]: unknown };
}

/** A 409 `gate_failed` answer as a refusal, or null for any other error. */
export function gateRefusal(
  error: WorkbenchApiError,
  alias: string,
  version: number
): IGateRefusal | null {
  if (error.code !== 'gate_failed') {
    return null;
  }
  const detail = error.detail as {
    failed?: string[];
    results?: { check: string; passed: boolean | null }[];
    metrics?: { [name: string]: unknown };
  };
  return {
    message: error.message,
    alias,
    version,
    failed: detail.failed ?? [],
    results: detail.results ?? [],
    metrics: detail.metrics ?? {}
  };
}

export class ModelViewModel {
  constructor(options: { api: IModelsApi; name: string; version?: number }) {
    this.api = options.api;
    this.name = options.name;
    this._wanted = options.version ?? null;
  }

  readonly api: IModelsApi;
  readonly name: string;

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted after an alias moved (or a move was refused: the history changed). */
  get moved(): ISignal<this, void> {
    return this._moved;
  }

  get model(): DescribeModel | null {
    return this._model;
  }

  /** The version shown (its signature, card and "Try it"). */
  get version(): DescribeModelVersion | null {
    return this._version;
  }

  /** Reading the model or a version failed. */
  get error(): WorkbenchApiError | null {
    return this._error;
  }

  /** The last alias move a gate refused (cleared by the next move). */
  get refusal(): IGateRefusal | null {
    return this._refusal;
  }

  /** The last alias move, card save... that failed for another reason. */
  get actionError(): WorkbenchApiError | null {
    return this._actionError;
  }

  /** What is being done ('promote', 'rollback', 'gates', 'card', 'predict'), or null. */
  get busy(): string | null {
    return this._busy;
  }

  /** The alias whose gates the gates editor shows (null: the first alias, or production). */
  get gatesAlias(): string | null {
    return this._gatesAlias;
  }

  /** The last gates save the server refused (a check DuckDB cannot read, a bad alias). */
  get gatesError(): WorkbenchApiError | null {
    return this._gatesError;
  }

  get prediction(): IPrediction | null {
    return this._prediction;
  }

  get predictError(): WorkbenchApiError | null {
    return this._predictError;
  }

  /** Read the model and the version to show (the one asked for, production's, or the newest). */
  async load(): Promise<void> {
    try {
      const model = await this.api.describeModel(this.name);
      this._model = model;
      this._error = null;
      const production = model.aliases.find(a => a.alias === 'production');
      const wanted =
        this._wanted ??
        this._version?.version ??
        production?.version ??
        model.versions[0]?.version ??
        null;
      if (wanted !== null) {
        await this._readVersion(wanted);
      }
    } catch (error) {
      this._error = asApiError(error);
    }
    this._changed.emit();
  }

  /** Show another version. */
  async selectVersion(version: number): Promise<void> {
    this._wanted = version;
    this._prediction = null;
    this._predictError = null;
    try {
      await this._readVersion(version);
      this._error = null;
    } catch (error) {
      this._error = asApiError(error);
    }
    this._changed.emit();
  }

  /** Point `alias` at `version` (through its gates); a refusal is kept in `refusal`. */
  async promote(alias: string, version: number): Promise<boolean> {
    return this._move('promote', alias, version, () =>
      this.api.setAlias(this.name, alias, version)
    );
  }

  /** Move `alias` back to the version it pointed at before. */
  async rollback(alias: string): Promise<boolean> {
    return this._move('rollback', alias, 0, () =>
      this.api.rollback(this.name, alias)
    );
  }

  /** Show `alias`'s gates in the gates editor. */
  editGates(alias: string): void {
    this._gatesAlias = alias;
    this._gatesError = null;
    this._changed.emit();
  }

  /**
   * Keep `gates` on `alias` (blank checks dropped; none removes them). The server tries each
   * check on the newest version's metrics: a refused one is kept in `gatesError`.
   */
  async saveGates(alias: string, gates: string[]): Promise<boolean> {
    const checks = gates.map(g => g.trim()).filter(g => g);
    this._gatesAlias = alias;
    this._gatesError = null;
    this._start('gates');
    try {
      await this.api.setGates(this.name, alias, checks);
      await this.load();
      return true;
    } catch (error) {
      this._gatesError = asApiError(error);
      return false;
    } finally {
      this._end();
    }
  }

  /** Remove `alias` and its gates (the removal shows in the history). */
  async removeAlias(alias: string): Promise<boolean> {
    this._refusal = null;
    this._start('remove');
    try {
      await this.api.removeAlias(this.name, alias);
      if (this._gatesAlias === alias) {
        this._gatesAlias = null;
      }
      await this.load();
      this._moved.emit();
      return true;
    } catch (error) {
      this._actionError = asApiError(error);
      return false;
    } finally {
      this._end();
    }
  }

  /** Replace the shown version's card. */
  async saveCard(card: string): Promise<boolean> {
    const version = this._version;
    if (!version) {
      return false;
    }
    this._start('card');
    try {
      this._version = await this.api.updateCard(
        this.name,
        version.version,
        card
      );
      return true;
    } catch (error) {
      this._actionError = asApiError(error);
      return false;
    } finally {
      this._end();
    }
  }

  /** Predict one row with the shown version (`name@version`). */
  async predict(row: IInputRow): Promise<void> {
    const version = this._version;
    if (!version) {
      return;
    }
    this._busy = 'predict';
    this._predictError = null;
    this._changed.emit();
    try {
      this._prediction = await this.api.predict(
        `${this.name}@${version.version}`,
        [row]
      );
    } catch (error) {
      this._prediction = null;
      this._predictError = asApiError(error);
    } finally {
      this._busy = null;
      this._changed.emit();
    }
  }

  private async _move(
    what: string,
    alias: string,
    version: number,
    call: () => Promise<unknown>
  ): Promise<boolean> {
    this._start(what);
    this._refusal = null;
    try {
      await call();
      await this.load();
      this._moved.emit();
      return true;
    } catch (error) {
      const apiError = asApiError(error);
      this._refusal = gateRefusal(apiError, alias, version);
      if (!this._refusal) {
        this._actionError = apiError;
      } else {
        // The refusal is in the alias history now.
        await this.load();
      }
      return false;
    } finally {
      this._end();
    }
  }

  private async _readVersion(version: number): Promise<void> {
    this._version = await this.api.describeVersion(this.name, version);
  }

  private _start(what: string): void {
    this._busy = what;
    this._actionError = null;
    this._changed.emit();
  }

  private _end(): void {
    this._busy = null;
    this._changed.emit();
  }

  private _wanted: number | null;
  private _model: DescribeModel | null = null;
  private _version: DescribeModelVersion | null = null;
  private _error: WorkbenchApiError | null = null;
  private _refusal: IGateRefusal | null = null;
  private _actionError: WorkbenchApiError | null = null;
  private _busy: string | null = null;
  private _gatesAlias: string | null = null;
  private _gatesError: WorkbenchApiError | null = null;
  private _prediction: IPrediction | null = null;
  private _predictError: WorkbenchApiError | null = null;
  private readonly _changed = new Signal<this, void>(this);
  private readonly _moved = new Signal<this, void>(this);
}
