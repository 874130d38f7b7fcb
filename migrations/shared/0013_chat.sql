-- 0013_chat: chat surfaces (widgets, meetings, end users), sessions, messages, files and conversation memory/logs.
-- Serves: chat_sessions (000) + sessions (002, view); chat_messages (000) + messages (002, view);
--         002 widgets, meetings, end_users, chat_files, conversation_memory; 004 conversation_logs.
--
-- chat_sessions merges 000's dashboard/workspace/onboarding sessions (owned by a user) with 002's widget and
-- meeting sessions (held by an end user): both are "a conversation"; each side's columns are nullable for
-- the other. Session segregation (000): the dashboard shows session_type = 'chat' AND workspace_id IS NULL;
-- a workspace shows its own sessions.
-- chat_messages merges 000 chat_messages and 002 messages (002's `timestamp` is created_at; the messages
-- view shows it under its name). Messages are tenant-pinned to their session.
-- conversation_logs (004) are archived transcripts: like 004, no FK to assistants/work items, so the archive
-- outlives them; tenant_id still references tenants (NO ACTION).

CREATE TABLE widgets (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    name               varchar(255) NOT NULL,
    domain_whitelist   text[] NOT NULL DEFAULT '{}',
    settings           jsonb DEFAULT '{}',
    ai_personality_id  uuid,
    is_active          boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id),
    FOREIGN KEY (ai_personality_id, tenant_id) REFERENCES ai_personalities (id, tenant_id)
        ON DELETE SET NULL (ai_personality_id) DEFERRABLE
);
CREATE INDEX idx_widgets_tenant ON widgets (tenant_id);
CREATE INDEX idx_widgets_ai_personality ON widgets (ai_personality_id);

CREATE TABLE meetings (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    room_name        varchar(255) NOT NULL,
    livekit_room_id  varchar(255),
    created_by       uuid REFERENCES users (id) ON DELETE SET NULL DEFERRABLE,
    metadata         jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id)
);
CREATE INDEX idx_meetings_tenant ON meetings (tenant_id);

CREATE TABLE end_users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    external_id    varchar(255),
    email          varchar(255),
    name           varchar(255),
    metadata       jsonb,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, external_id),
    UNIQUE (id, tenant_id)
);

CREATE TABLE chat_sessions (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    user_id            uuid,                                   -- 000 session owner
    title              varchar(255),                           -- 000
    session_type       varchar(20) NOT NULL DEFAULT 'chat'
                       CHECK (session_type IN ('chat', 'workspace', 'onboarding')),   -- 000
    workspace_id       uuid,                                   -- 000
    is_archived        boolean NOT NULL DEFAULT false,         -- 000
    widget_id          uuid,                                   -- 002
    meeting_id         uuid,                                   -- 002
    end_user_id        uuid,                                   -- 002
    mode               varchar(20),                            -- 002
    ai_personality_id  uuid,                                   -- 002
    cost_usd           numeric(12,6) NOT NULL DEFAULT 0,       -- 002
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id),
    FOREIGN KEY (user_id, tenant_id) REFERENCES users (id, tenant_id)
        ON DELETE SET NULL (user_id) DEFERRABLE,
    FOREIGN KEY (workspace_id, tenant_id) REFERENCES workspaces (id, tenant_id)
        ON DELETE SET NULL (workspace_id) DEFERRABLE,
    FOREIGN KEY (widget_id, tenant_id) REFERENCES widgets (id, tenant_id)
        ON DELETE SET NULL (widget_id) DEFERRABLE,
    FOREIGN KEY (meeting_id, tenant_id) REFERENCES meetings (id, tenant_id)
        ON DELETE SET NULL (meeting_id) DEFERRABLE,
    FOREIGN KEY (end_user_id, tenant_id) REFERENCES end_users (id, tenant_id)
        ON DELETE SET NULL (end_user_id) DEFERRABLE,
    FOREIGN KEY (ai_personality_id, tenant_id) REFERENCES ai_personalities (id, tenant_id)
        ON DELETE SET NULL (ai_personality_id) DEFERRABLE
);
CREATE INDEX idx_chat_sessions_tenant_created ON chat_sessions (tenant_id, created_at);
CREATE INDEX idx_chat_sessions_user ON chat_sessions (user_id, session_type);
CREATE INDEX idx_chat_sessions_workspace ON chat_sessions (workspace_id);
CREATE INDEX idx_chat_sessions_widget ON chat_sessions (widget_id);
CREATE INDEX idx_chat_sessions_meeting ON chat_sessions (meeting_id);
CREATE INDEX idx_chat_sessions_end_user ON chat_sessions (end_user_id);

-- 002 sessions.
CREATE VIEW sessions AS
    SELECT id, tenant_id, widget_id, meeting_id, end_user_id, mode, ai_personality_id, cost_usd,
           user_id, title, created_at, updated_at
    FROM chat_sessions;

CREATE TABLE chat_messages (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    session_id     uuid NOT NULL,
    role           varchar(20) NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    content        text NOT NULL,
    tool_calls     jsonb,                                      -- 000
    citations      jsonb,                                      -- 000
    token_count    integer,                                    -- 000
    input_tokens   integer,                                    -- 000
    output_tokens  integer,                                    -- 000
    model_used     varchar(100),                               -- 000
    provider_used  varchar(50) CHECK (provider_used IN ('anthropic', 'openai', 'gemini')),  -- 000
    is_byok        boolean NOT NULL DEFAULT false,             -- 000
    attachments    jsonb,                                      -- 002
    metadata       jsonb,                                      -- 002 (complexity, CRAG, QA, RAG)
    created_at     timestamptz NOT NULL DEFAULT now(),         -- 002 `timestamp`
    UNIQUE (id, tenant_id),
    FOREIGN KEY (session_id, tenant_id) REFERENCES chat_sessions (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_chat_messages_tenant ON chat_messages (tenant_id);
CREATE INDEX idx_chat_messages_session_timestamp ON chat_messages (session_id, created_at);

-- 002 messages.
CREATE VIEW messages AS
    SELECT id, session_id, tenant_id, role, content, attachments, metadata, created_at AS "timestamp"
    FROM chat_messages;

CREATE TABLE chat_files (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    user_id     uuid,
    session_id  uuid,
    file_name   varchar(255) NOT NULL,
    file_path   text NOT NULL,
    file_type   varchar(100),
    file_size   bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (user_id, tenant_id) REFERENCES users (id, tenant_id) ON DELETE SET NULL (user_id) DEFERRABLE,
    FOREIGN KEY (session_id, tenant_id) REFERENCES chat_sessions (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_chat_files_tenant ON chat_files (tenant_id);
CREATE INDEX idx_chat_files_session ON chat_files (session_id);
CREATE INDEX idx_chat_files_user ON chat_files (user_id);

CREATE TABLE conversation_memory (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    session_id   uuid NOT NULL UNIQUE,
    messages     jsonb NOT NULL DEFAULT '[]',
    summary      text,
    token_count  integer,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (session_id, tenant_id) REFERENCES chat_sessions (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_conversation_memory_tenant ON conversation_memory (tenant_id);

CREATE TABLE conversation_logs (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE NO ACTION DEFERRABLE,
    assistant_id  uuid NOT NULL,
    work_item_id  uuid,
    channel       text NOT NULL,
    external_id   text,               -- Telegram chat id, etc.
    messages      jsonb NOT NULL,
    cost_amount   numeric(10,4),
    token_count   integer,
    started_at    timestamptz,
    ended_at      timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_conversation_logs_tenant_created ON conversation_logs (tenant_id, created_at DESC);
CREATE INDEX idx_conversation_logs_assistant ON conversation_logs (assistant_id);
