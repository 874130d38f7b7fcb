/**
 * common/queries/registry.ts: every named read query, and the types that make a caller's `name` and
 * `params` checked together at compile time. The RPC contract's `query.run` / `query.live` validate the
 * same schemas at run time.
 *
 *   approvals.waitingForMe       approvals the reader may decide now (directly or as a delegate)
 *   approvals.waitingForMeCount  how many there are, beyond the list's limit
 *   approvals.decisions          the decisions recorded for one approval (quorum)
 *   delegations.mine             the delegations the reader gave and received
 *   delegations.candidates       who the reader may delegate to (their tenant's active users)
 *   changesets.awaitingMyReview  changesets waiting for the reader's review
 *   changesets.awaitingMyReviewCount  how many there are, beyond the list's limit
 *   changesets.patches           the patches of one changeset (diff preview)
 *   changesets.one               one changeset with its names and state (the review)
 *   changesets.hunkDecisions     the reviewers' per-hunk decisions on one changeset
 *   changesets.comments          the review comments of one changeset
 *   changesets.conflicts         the conflicts of one changeset's last failed apply
 *   workspaces.list              the workspaces the reader can see
 *   workspaces.files             the paths of one workspace's files (the editor's tree)
 *   workspaces.fileTexts         every file's text of one workspace (local validation)
 *   workspaces.changesets        the changesets of one workspace
 *   workspaces.runs              the runs of record of one workspace (the runs panel)
 *   workspaces.runArtifacts      one run's stdout, stderr and report
 *   workItems.byStatus           work items in one state
 *   records.history              the audit trail of one record
 *   audit.timeline               the audit events of the reader's tenants, filtered, newest first
 *   audit.facets                 the actors, actions and entity types the audit filters offer
 *   search.hybrid                hybrid (full-text + vector, RRF) search over the knowledge chunks
 *   search.chunkContext          a search hit's chunk among its document's chunks
 *   search.filterOptions         the documents and content types search can be narrowed to
 *   dashboards.financials        revenue, expenses, profit, cash flow per bucket (and the previous period)
 *   dashboards.leadFunnel        leads per pipeline stage in a range
 *   dashboards.customMetrics     custom metrics' averages per bucket
 *   dashboards.tenantSummary     a holding user's tenants side by side
 *   dashboards.costSeries        spend per bucket and provider
 *   dashboards.budgets           this period's spend against tenant limits and credit pools (80 %, 100 %)
 */
import type { z } from 'zod';
import { approvalsWaitingForMe, approvalsWaitingForMeCount } from './approvals.ts';
import { auditFacets, auditTimeline } from './audit.ts';
import {
  changesetComments,
  changesetConflicts,
  changesetHunkDecisions,
  changesetOne,
} from './changeset-review.ts';
import {
  changesetPatches,
  changesetsAwaitingMyReview,
  changesetsAwaitingMyReviewCount,
} from './changesets.ts';
import { approvalDecisions, delegateCandidates, delegationsMine } from './delegations.ts';
import { dashboardBudgets, dashboardCostSeries } from './dashboard-costs.ts';
import {
  dashboardCustomMetrics,
  dashboardFinancials,
  dashboardLeadFunnel,
  dashboardTenantSummary,
} from './dashboard-kpis.ts';
import type { NamedQuery } from './query.ts';
import { recordHistory } from './records.ts';
import { searchHybrid } from './search.ts';
import { searchChunkContext, searchFilterOptions } from './search-documents.ts';
import { workItemsByStatus } from './work-items.ts';
import { workspaceRunArtifacts, workspaceRuns } from './workspace-runs.ts';
import { workspaceChangesets, workspaceFiles, workspaceFileTexts, workspacesList } from './workspaces.ts';

const QUERY_LIST = [
  approvalsWaitingForMe,
  approvalsWaitingForMeCount,
  approvalDecisions,
  delegationsMine,
  delegateCandidates,
  changesetsAwaitingMyReview,
  changesetsAwaitingMyReviewCount,
  changesetPatches,
  changesetOne,
  changesetHunkDecisions,
  changesetComments,
  changesetConflicts,
  workspacesList,
  workspaceFiles,
  workspaceFileTexts,
  workspaceChangesets,
  workspaceRuns,
  workspaceRunArtifacts,
  workItemsByStatus,
  recordHistory,
  auditTimeline,
  auditFacets,
  searchHybrid,
  searchChunkContext,
  searchFilterOptions,
  dashboardFinancials,
  dashboardLeadFunnel,
  dashboardCustomMetrics,
  dashboardTenantSummary,
  dashboardCostSeries,
  dashboardBudgets,
] as const;

type AnyQuery = (typeof QUERY_LIST)[number];
export type QueryName = AnyQuery['name'];
type QueryOf<N extends QueryName> = Extract<AnyQuery, { name: N }>;
/** What a caller sends for query `N`. */
export type QueryParams<N extends QueryName> = z.input<QueryOf<N>['params']>;
/** One row of query `N`. */
export type QueryRow<N extends QueryName> =
  QueryOf<N> extends NamedQuery<string, z.ZodType, infer R> ? R : never;

export const NAMED_QUERIES: ReadonlyMap<string, NamedQuery> = new Map(
  QUERY_LIST.map((q) => [q.name, q as NamedQuery]),
);
export const QUERY_NAMES: readonly QueryName[] = QUERY_LIST.map((q) => q.name);
