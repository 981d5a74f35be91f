/**
 * The REST API's request and response shapes under short names, from the types generated out
 * of the pydantic models (`types.ts`, `make api`). `client.ts` re-exports them.
 */
import type { components } from './types';

type Schemas = components['schemas'];
export type CancelQueryResponse = Schemas['CancelQueryResponse'];
export type DescribeQuery = Schemas['DescribeQuery'];
export type ColumnInfo = Schemas['ColumnInfo'];
export type CompletionNames = Schemas['CompletionNames'];
export type DescribeCatalog = Schemas['DescribeCatalog'];
export type DescribeResult = Schemas['DescribeResult'];
export type DescribeSource = Schemas['DescribeSource'];
export type DescribeStatus = Schemas['DescribeStatus'];
export type DescribeTable = Schemas['DescribeTable'];
export type DescribeTableVersions = Schemas['DescribeTableVersions'];
export type ErrorResponse = Schemas['ErrorResponse'];
export type FetchPageRequest = Schemas['FetchPageRequest'];
export type QueryPage = Schemas['QueryPage'];
export type QueryResult = Schemas['QueryResult'];
export type RegisterSourceRequest = Schemas['RegisterSourceRequest'];
export type ResultStatus = Schemas['ResultStatus'];
export type RunQueryRequest = Schemas['RunQueryRequest'];
export type SaveResultRequest = Schemas['SaveResultRequest'];
export type SortKey = Schemas['SortKey'];
export type ExportFormat = 'csv' | 'parquet';
export type ClearHistoryResponse = Schemas['ClearHistoryResponse'];
export type DescribeHistoryEntry = Schemas['DescribeHistoryEntry'];
export type HistoryPage = Schemas['HistoryPage'];
export type ListHistoryRequest = Schemas['ListHistoryRequest'];
export type QueryStatus = Schemas['QueryStatus'];
export type DescribeSavedQuery = Schemas['DescribeSavedQuery'];
export type ListSavedQueriesResponse = Schemas['ListSavedQueriesResponse'];
export type ReadSavedQueryResponse = Schemas['ReadSavedQueryResponse'];
export type RenameSavedQueryRequest = Schemas['RenameSavedQueryRequest'];
export type SaveQueryRequest = Schemas['SaveQueryRequest'];
export type ImportFileRequest = Schemas['ImportFileRequest'];
export type ImportFileResponse = Schemas['ImportFileResponse'];
// Data preparation (profiles, joins, transforms, cost preview).
export type ProfileRequest = Schemas['ProfileRequest'];
export type DescribeProfile = Schemas['DescribeProfile'];
export type ColumnProfile = Schemas['ColumnProfile'];
export type SuggestJoinsRequest = Schemas['SuggestJoinsRequest'];
export type JoinSuggestions = Schemas['JoinSuggestions'];
export type JoinSuggestion = Schemas['JoinSuggestion'];
export type JoinSpec = Schemas['JoinSpec'];
export type PreviewJoinRequest = Schemas['PreviewJoinRequest'];
export type JoinPreview = Schemas['JoinPreview'];
export type TransformSqlRequest = Schemas['TransformSqlRequest'];
export type TransformSql = Schemas['TransformSql'];
export type EstimateQueryRequest = Schemas['EstimateQueryRequest'];
export type QueryEstimate = Schemas['QueryEstimate'];
// Label sets and the built-in labeler.
export type ListModels = Schemas['ListModels'];
export type DescribeModel = Schemas['DescribeModel'];
export type DescribeModelVersion = Schemas['DescribeModelVersion'];
export type DescribeAliasMove = Schemas['DescribeAliasMove'];
export type PublishModelRequest = Schemas['PublishModelRequest'];
export type ModelAliasInfo = Schemas['ModelAliasInfo'];
export type ExportModelRequest = Schemas['ExportModelRequest'];
export type ExportedModel = Schemas['ExportedModel'];
export type ScoreQueryRequest = Schemas['ScoreQueryRequest'];
export type ScoreResponse = Schemas['ScoreResponse'];
export type CreateLabelSetRequest = Schemas['CreateLabelSetRequest'];
export type DescribeLabelSet = Schemas['DescribeLabelSet'];
export type ListLabelSets = Schemas['ListLabelSets'];
export type FetchItemsRequest = Schemas['FetchItemsRequest'];
export type ItemPage = Schemas['ItemPage'];
export type LabelItem = Schemas['LabelItem'];
export type ItemLabel = Schemas['ItemLabel'];
export type ItemImage = Schemas['ItemImage'];
export type LabelProgress = Schemas['LabelProgress'];
export type RecordLabelRequest = Schemas['RecordLabelRequest'];
export type RecordLabelResponse = Schemas['RecordLabelResponse'];
export type SkipItemRequest = Schemas['SkipItemRequest'];
export type UndoLabelResponse = Schemas['UndoLabelResponse'];
// The active-learning queue of a label set.
export type RefreshQueueRequest = Schemas['RefreshQueueRequest'];
export type DescribeQueue = Schemas['DescribeQueue'];
// The Label Studio bridge of a label set, and background tasks (push, pull).
export type ConnectStudioRequest = Schemas['ConnectStudioRequest'];
export type PushStudioRequest = Schemas['PushStudioRequest'];
export type DescribeStudioLink = Schemas['DescribeStudioLink'];
export type StudioCounts = Schemas['StudioCounts'];
export type StudioTaskStarted = Schemas['StudioTaskStarted'];
export type DescribeTask = Schemas['DescribeTask'];
export type CancelTaskResponse = Schemas['CancelTaskResponse'];
// Training runs (each in its own process) and their experiments.
export type PreviewTrainingRequest = Schemas['PreviewTrainingRequest'];
export type DescribeTrainingPreview = Schemas['DescribeTrainingPreview'];
export type TrainingColumn = Schemas['TrainingColumn'];
export type FeatureFlag = Schemas['FeatureFlag'];
export type MetricChoice = Schemas['MetricChoice'];
export type TrainModelRequest = Schemas['TrainModelRequest'];
export type DescribeTrainingRun = Schemas['DescribeTrainingRun'];
export type TrainingProgress = Schemas['TrainingProgress'];
export type TrainingResult = Schemas['TrainingResult'];
export type TrialSummary = Schemas['TrialSummary'];
export type RunInputInfo = Schemas['RunInputInfo'];
export type ListTrainingRunsQuery = Schemas['ListTrainingRunsQuery'];
export type ListTrainingRuns = Schemas['ListTrainingRuns'];
export type TrainingRunSummary = Schemas['TrainingRunSummary'];
export type CompareTrainingRuns = Schemas['CompareTrainingRuns'];
// Notebook jobs: runs of a notebook now, saved jobs with schedules, the scheduler.
export type NotebookParameters = Schemas['NotebookParameters'];
export type NotebookParameterInfo = Schemas['NotebookParameterInfo'];
export type ParameterType = NotebookParameterInfo['type'];
export type RunNotebookRequest = Schemas['RunNotebookRequest'];
export type JobRunInfo = Schemas['JobRunInfo'];
export type JobRunStatus = JobRunInfo['status'];
export type ListJobRuns = Schemas['ListJobRuns'];
export type ListJobRunsQuery = Schemas['ListJobRunsQuery'];
export type JobRunLog = Schemas['JobRunLog'];
export type JobCreateRequest = Schemas['JobCreateRequest'];
export type JobUpdateRequest = Schemas['JobUpdateRequest'];
export type RunJobRequest = Schemas['RunJobRequest'];
export type JobInfo = Schemas['JobInfo'];
export type ListJobs = Schemas['ListJobs'];
export type OverlapPolicy = JobInfo['overlap'];
export type CatchUpPolicy = JobInfo['catch_up'];
export type SchedulePreview = Schemas['SchedulePreview'];
export type SchedulerStatus = Schemas['SchedulerStatus'];
/** One cell as the server sends it: never an object (see schemas/queries.py). */
export type Cell = QueryResult['rows'][number][number];
