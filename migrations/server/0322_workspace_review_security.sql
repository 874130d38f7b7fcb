-- 0322_workspace_review_security: central security for 0320's tables. Central only. Serves issue 16.
--
-- workspace_patch_bases, workspace_changeset_comments, workspace_hunk_decisions and
-- workspace_patch_conflicts are tenant tables: forced row-level security, the four policies,
-- outpost_app privileges and publication, like every other (secure_all_tenant_tables), so another
-- tenant's session neither sees nor writes a changeset's comments or decisions.

SELECT secure_all_tenant_tables();
