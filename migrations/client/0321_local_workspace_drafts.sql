-- 0321_local_workspace_drafts: the workspace editor's drafts, durable on this device. Local only
-- (never central, never synced, never an outbox mutation). Serves issue 16 ("Local drafts").
--
-- editor.workspace_drafts: one row per user, workspace and path being edited.
--   base_content / base_sha256  the file's content when editing began (NULL: a new file), what a patch
--                               is made against (common/workspaces/patch.ts); the file may change
--                               underneath through sync meanwhile, which apply detects by the hash
--   saved_content               the text as last saved by the user (NULL with operation 'delete')
--   unsaved_content             the editor's buffer when it differs from saved_content (autosaved),
--                               NULL when there is nothing unsaved; closing the app keeps both
--   operation                   create, modify or delete (a rename is a delete and a create)
-- Rows live in the schema `editor`, outside `public`, `local` and `synced`: the sync applier, the
-- write catalog and the overlay machinery never see them, and a keystroke is an UPDATE of this table
-- only. changeset.create receives the drafts' texts as its arguments (core/workspaces/drafts.ts), and
-- the caller deletes the drafts it turned into a changeset.

CREATE SCHEMA editor;
COMMENT ON SCHEMA editor IS 'Local-only editor state (drafts); never synced, never in the outbox.';

CREATE TABLE editor.workspace_drafts (
    user_id          uuid NOT NULL,
    tenant_id        uuid NOT NULL,
    workspace_id     uuid NOT NULL,
    path             text NOT NULL CHECK (btrim(path) <> ''),
    operation        text NOT NULL DEFAULT 'modify' CHECK (operation IN ('create', 'modify', 'delete')),
    base_content     text,
    base_sha256      text CHECK (base_sha256 ~ '^[0-9a-f]{64}$'),
    saved_content    text,
    unsaved_content  text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, workspace_id, path),
    CONSTRAINT workspace_drafts_base CHECK ((operation = 'create') = (base_content IS NULL)
                                           AND (base_content IS NULL) = (base_sha256 IS NULL)),
    CONSTRAINT workspace_drafts_delete_has_no_text CHECK (operation <> 'delete' OR saved_content IS NULL)
);
COMMENT ON TABLE editor.workspace_drafts IS
    'Saved and unsaved text of files a user is editing, per user and workspace (0321; never synced).';
