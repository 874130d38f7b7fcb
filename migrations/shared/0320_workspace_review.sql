-- 0320_workspace_review: what the workspace IDE's review and apply need beyond 0011. Serves: 000
-- workspace_changesets / workspace_patches, and issue 16 (beyond the seeds). Expand only: four new
-- tables and one lifecycle transition; no column of an existing table changes.
--
-- workspace_patch_bases (one row per patch made by changeset.create)
--   base_sha256  the SHA-256 (hex) of the UTF-8 content the patch's diff was made against.
--   A table beside workspace_patches, not a column of it: workspace_patches is a writable table, a
--   view over local.<t>_state on clients, and adding a column there needs its overlay rebuilt, which
--   has no hook yet (docs/local-schema.md, "Changing the schema later"). A patch without a base row
--   (written by a plain write) is applied as before: its diff must still fit the file exactly.
--
-- workspace_changeset_comments (review comments; written only by changeset.comment and
--   changeset.resolve_comment): on the changeset as a whole (no file), a file, or a line of a file on
--   the old or the new side of the diff, optionally a hunk; resolved with who and when.
--
-- workspace_hunk_decisions (one row per reviewer and hunk; written only by changeset.decide_hunk):
--   accept or reject one hunk (common/workspaces/patch.ts ids) of one patch; a reviewer may change
--   their decision while the changeset is pending review.
--
-- workspace_patch_conflicts (written only by changeset.apply): for each file whose three-way merge
--   conflicted, the merged text with conflict markers and the regions (line, base, ours, theirs), so
--   the author's editor can show them. One apply attempt's rows share attempt_id.
--
-- Lifecycle: approved --conflict--> rejected. A changeset that cannot be applied cleanly goes back to
-- its author (rejected_reason names the files; then revise --> draft), instead of applying over a
-- concurrent change.
--
-- Numbered after every client migration; foreign keys through 0301's hook, the transition through
-- 0061's (migrations/README.md).

CREATE TABLE workspace_patch_bases (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL,
    changeset_id  uuid NOT NULL,
    patch_id      uuid NOT NULL,
    base_sha256   text NOT NULL CHECK (base_sha256 ~ '^[0-9a-f]{64}$'),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT workspace_patch_bases_one_per_patch UNIQUE (patch_id)
);
CREATE INDEX idx_workspace_patch_bases_tenant ON workspace_patch_bases (tenant_id, changeset_id);
COMMENT ON TABLE workspace_patch_bases IS
    'The SHA-256 of the content a patch was made against (0320; docs/architecture.md, "Workspace changesets").';

CREATE TABLE workspace_changeset_comments (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL,
    changeset_id  uuid NOT NULL,
    patch_id      uuid,
    file_path     text,
    line          integer CHECK (line >= 1),
    side          text NOT NULL DEFAULT 'new' CHECK (side IN ('old', 'new')),
    hunk_id       text CHECK (hunk_id ~ '^h[0-9a-f]{16}$'),
    body          text NOT NULL CHECK (btrim(body) <> '' AND length(body) <= 10000),
    author_id     uuid NOT NULL,
    resolved      boolean NOT NULL DEFAULT false,
    resolved_by   uuid,
    resolved_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT workspace_changeset_comments_line_has_file CHECK (line IS NULL OR file_path IS NOT NULL),
    CONSTRAINT workspace_changeset_comments_resolution CHECK (resolved = (resolved_at IS NOT NULL))
);
CREATE INDEX idx_workspace_changeset_comments_tenant ON workspace_changeset_comments (tenant_id, changeset_id);
COMMENT ON TABLE workspace_changeset_comments IS
    'Review comments on a changeset, a file or a line (0320); written only by named operations.';

CREATE TABLE workspace_hunk_decisions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL,
    changeset_id  uuid NOT NULL,
    patch_id      uuid NOT NULL,
    hunk_id       text NOT NULL CHECK (hunk_id ~ '^h[0-9a-f]{16}$'),
    decided_by    uuid NOT NULL,
    decision      text NOT NULL CHECK (decision IN ('accept', 'reject')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT workspace_hunk_decisions_one_per_reviewer UNIQUE (patch_id, hunk_id, decided_by)
);
CREATE INDEX idx_workspace_hunk_decisions_tenant ON workspace_hunk_decisions (tenant_id, changeset_id);
COMMENT ON TABLE workspace_hunk_decisions IS
    'A reviewer''s accept or reject of one hunk of a patch (0320); written only by changeset.decide_hunk.';

CREATE TABLE workspace_patch_conflicts (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL,
    changeset_id    uuid NOT NULL,
    patch_id        uuid NOT NULL,
    attempt_id      uuid NOT NULL,
    file_path       text NOT NULL,
    base_sha256     text NOT NULL,
    current_sha256  text NOT NULL,
    merged_content  text NOT NULL,
    regions         jsonb NOT NULL DEFAULT '[]',
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_workspace_patch_conflicts_tenant ON workspace_patch_conflicts (tenant_id, changeset_id);
COMMENT ON TABLE workspace_patch_conflicts IS
    'Conflicts of a changeset.apply whose three-way merge failed, for the author''s editor (0320).';

SELECT schema_add_foreign_key('workspace_patch_bases', 'workspace_patch_bases_tenant_id_fkey', 'tenant_id', 'tenants', 'id', 'ON DELETE CASCADE');
SELECT schema_add_foreign_key('workspace_patch_bases', 'workspace_patch_bases_changeset_id_fkey', 'changeset_id',
                              'workspace_changesets', 'id', 'ON DELETE CASCADE');
SELECT schema_add_foreign_key('workspace_patch_bases', 'workspace_patch_bases_patch_id_fkey', 'patch_id',
                              'workspace_patches', 'id', 'ON DELETE CASCADE');
SELECT schema_add_foreign_key('workspace_changeset_comments', 'workspace_changeset_comments_tenant_id_fkey', 'tenant_id',
                              'tenants', 'id', 'ON DELETE CASCADE');
SELECT schema_add_foreign_key('workspace_changeset_comments', 'workspace_changeset_comments_changeset_id_fkey',
                              'changeset_id', 'workspace_changesets', 'id', 'ON DELETE CASCADE');
SELECT schema_add_foreign_key('workspace_changeset_comments', 'workspace_changeset_comments_patch_id_fkey', 'patch_id',
                              'workspace_patches', 'id', 'ON DELETE SET NULL (patch_id)');
SELECT schema_add_foreign_key('workspace_changeset_comments', 'workspace_changeset_comments_author_id_fkey', 'author_id',
                              'users', 'id');
SELECT schema_add_foreign_key('workspace_changeset_comments', 'workspace_changeset_comments_resolved_by_fkey',
                              'resolved_by', 'users', 'id', 'ON DELETE SET NULL (resolved_by)');
SELECT schema_add_foreign_key('workspace_hunk_decisions', 'workspace_hunk_decisions_tenant_id_fkey', 'tenant_id',
                              'tenants', 'id', 'ON DELETE CASCADE');
SELECT schema_add_foreign_key('workspace_hunk_decisions', 'workspace_hunk_decisions_changeset_id_fkey', 'changeset_id',
                              'workspace_changesets', 'id', 'ON DELETE CASCADE');
SELECT schema_add_foreign_key('workspace_hunk_decisions', 'workspace_hunk_decisions_patch_id_fkey', 'patch_id',
                              'workspace_patches', 'id', 'ON DELETE CASCADE');
SELECT schema_add_foreign_key('workspace_hunk_decisions', 'workspace_hunk_decisions_decided_by_fkey', 'decided_by',
                              'users', 'id');
SELECT schema_add_foreign_key('workspace_patch_conflicts', 'workspace_patch_conflicts_tenant_id_fkey', 'tenant_id',
                              'tenants', 'id', 'ON DELETE CASCADE');
SELECT schema_add_foreign_key('workspace_patch_conflicts', 'workspace_patch_conflicts_changeset_id_fkey', 'changeset_id',
                              'workspace_changesets', 'id', 'ON DELETE CASCADE');
SELECT schema_add_foreign_key('workspace_patch_conflicts', 'workspace_patch_conflicts_patch_id_fkey', 'patch_id',
                              'workspace_patches', 'id', 'ON DELETE CASCADE');

SELECT schema_insert_reference_rows($rows$
INSERT INTO state_transitions (machine, from_state, event, to_state) VALUES
    ('workspace_changeset', 'approved', 'conflict', 'rejected')
$rows$);
