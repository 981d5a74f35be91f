/**
 * The part of the Workbench REST client the Label Studio section uses (routes of
 * mlworkbench/server/studio_handlers.py), so its model is tested against a fake.
 */
import type {
  CancelTaskResponse,
  DescribeLabelSet,
  DescribeStudioLink,
  DescribeTask,
  ListLabelSets,
  StudioTaskStarted,
  WorkbenchClient
} from '../../api/client';

export type {
  DescribeLabelSet,
  DescribeStudioLink,
  DescribeTask,
  StudioTaskStarted
};

export interface IStudioApi {
  listLabelSets(): Promise<ListLabelSets>;
  describeStudioLink(name: string): Promise<DescribeStudioLink>;
  connectStudio(name: string): Promise<DescribeStudioLink>;
  pushToStudio(name: string): Promise<StudioTaskStarted>;
  pullFromStudio(name: string): Promise<StudioTaskStarted>;
  describeTask(taskId: string): Promise<DescribeTask>;
  cancelTask(taskId: string): Promise<CancelTaskResponse>;
}

/** The client's own methods: it already is an `IStudioApi`. */
export function studioApi(client: WorkbenchClient): IStudioApi {
  return client;
}
