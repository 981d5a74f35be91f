/**
 * State of one profile view: what is profiled (a table or a result session), the last
 * profile, whether it runs, and the error. Talks only to the API client.
 */
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import {
  asApiError,
  type DescribeProfile,
  type ProfileRequest,
  type WorkbenchApiError,
  type WorkbenchClient
} from '../../api/client';

/** A table or source by its catalog name, or a result session of a SQL editor. */
export type ProfileTarget =
  | { kind: 'table'; name: string }
  | { kind: 'result'; sessionId: string; label: string };

export type ProfileState = 'idle' | 'running' | 'ready' | 'error';

/** The client calls the model needs (a fake in tests). */
export type IProfileClient = Pick<WorkbenchClient, 'profile'>;

export class ProfileModel implements IDisposable {
  constructor(
    private readonly _client: IProfileClient,
    readonly target: ProfileTarget
  ) {}

  /** Emitted whenever the state, the profile or the error changes. */
  get changed(): ISignal<this, ProfileState> {
    return this._changed;
  }

  get state(): ProfileState {
    return this._state;
  }

  get profile(): DescribeProfile | null {
    return this._profile;
  }

  get error(): WorkbenchApiError | null {
    return this._error;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** A short name of what is profiled (a tab title). */
  get label(): string {
    return this.target.kind === 'table' ? this.target.name : this.target.label;
  }

  /** The request for the target. */
  get request(): ProfileRequest {
    return this.target.kind === 'table'
      ? { table: this.target.name }
      : { session_id: this.target.sessionId };
  }

  /**
   * Profile the target (again). A run started while another is on the way wins: the older
   * answer is dropped when it arrives. The last profile stays shown until the new one is in.
   */
  async run(): Promise<void> {
    const run = ++this._run;
    this._error = null;
    this._setState('running');
    try {
      const profile = await this._client.profile(this.request);
      if (this._disposed || run !== this._run) {
        return;
      }
      this._profile = profile;
      this._setState('ready');
    } catch (error) {
      if (this._disposed || run !== this._run) {
        return;
      }
      this._error = asApiError(error);
      this._setState('error');
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    Signal.clearData(this);
  }

  private _setState(state: ProfileState): void {
    this._state = state;
    this._changed.emit(state);
  }

  private _state: ProfileState = 'idle';
  private _profile: DescribeProfile | null = null;
  private _error: WorkbenchApiError | null = null;
  private _run = 0;
  private _disposed = false;
  private _changed = new Signal<this, ProfileState>(this);
}
