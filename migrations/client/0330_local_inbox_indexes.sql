-- 0330_local_inbox_indexes: indexes for the approvals inbox's named queries on the local database
-- (common/queries/changesets.ts changesets.awaitingMyReview), at the size of issue 15's benchmark
-- (20,000 changesets pending review in one tenant; bench/inbox-query.ts, docs/benchmarks.md). Local only:
-- the central server answers no such query. Serves no seed.
--
--   workspace_changesets by (status, updated_at, id): the review queue's order, so the query walks the
--   pending_review rows in order and stops at its LIMIT instead of sorting every one of them.

CREATE INDEX idx_workspace_changesets_review_order
    ON local.workspace_changesets_state (status, updated_at, id);
