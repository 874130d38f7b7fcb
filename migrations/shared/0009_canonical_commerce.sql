-- 0009_canonical_commerce: canonical (normalised) commerce and accounting records synced from providers.
-- Serves: 000 orders, payments, refunds, payouts, payout_lines, disputes, netsuite_postings.
--
-- Every canonical table has id, tenant_id, dedupe_key, source, source_id, source_created, synced_at,
-- created_at, updated_at. dedupe_key = '{tenant_id}:{source}:{object_type}:{source_id}' is UNIQUE and its
-- shape is CHECKed (tenant/source prefix, source_id suffix, a non-empty object_type in between), so an
-- upsert from any sync path lands on the same row.
-- Cross-object ids in 000 that are not marked FK (payments.order_id, refunds.order_id, payouts.payout_id,
-- payments.payment_id, disputes.charge_id) are the provider's own ids (text), not references.
-- payout_lines.payout_id is 000's one FK here: a tenant-pinned reference to payouts.id.
-- Amounts are numeric(19,4) (000 gives no precision; 4 places keep 3-decimal currencies exact).

CREATE TABLE orders (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    dedupe_key       text NOT NULL UNIQUE,
    source           varchar(50) NOT NULL,
    source_id        varchar(255) NOT NULL,
    source_created   timestamptz,
    synced_at        timestamptz,
    order_number     varchar(100),
    status           varchar(50),
    currency         varchar(3),
    total_amount     numeric(19,4),
    subtotal         numeric(19,4),
    tax_amount       numeric(19,4),
    discount_amount  numeric(19,4),
    customer_email   varchar(255),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_dedupe_key_format CHECK (
        starts_with(dedupe_key, tenant_id::text || ':' || source || ':')
        AND right(dedupe_key, length(source_id) + 1) = ':' || source_id
        AND length(dedupe_key) > length(tenant_id::text) + length(source) + length(source_id) + 3)
);
CREATE INDEX idx_orders_tenant_source_created ON orders (tenant_id, source_created DESC);
CREATE INDEX idx_orders_tenant_status ON orders (tenant_id, status);

CREATE TABLE payments (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    dedupe_key      text NOT NULL UNIQUE,
    source          varchar(50) NOT NULL,
    source_id       varchar(255) NOT NULL,
    source_created  timestamptz,
    synced_at       timestamptz,
    payment_id      varchar(255),
    order_id        varchar(255),
    amount          numeric(19,4),
    currency        varchar(3),
    status          varchar(50),
    payment_method  varchar(100),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payments_dedupe_key_format CHECK (
        starts_with(dedupe_key, tenant_id::text || ':' || source || ':')
        AND right(dedupe_key, length(source_id) + 1) = ':' || source_id
        AND length(dedupe_key) > length(tenant_id::text) + length(source) + length(source_id) + 3)
);
CREATE INDEX idx_payments_tenant_source_created ON payments (tenant_id, source_created DESC);
CREATE INDEX idx_payments_tenant_status ON payments (tenant_id, status);
CREATE INDEX idx_payments_tenant_order ON payments (tenant_id, order_id);

CREATE TABLE refunds (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    dedupe_key      text NOT NULL UNIQUE,
    source          varchar(50) NOT NULL,
    source_id       varchar(255) NOT NULL,
    source_created  timestamptz,
    synced_at       timestamptz,
    order_id        varchar(255),
    reason          text,
    amount          numeric(19,4),
    currency        varchar(3),
    status          varchar(50),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT refunds_dedupe_key_format CHECK (
        starts_with(dedupe_key, tenant_id::text || ':' || source || ':')
        AND right(dedupe_key, length(source_id) + 1) = ':' || source_id
        AND length(dedupe_key) > length(tenant_id::text) + length(source) + length(source_id) + 3)
);
CREATE INDEX idx_refunds_tenant_source_created ON refunds (tenant_id, source_created DESC);
CREATE INDEX idx_refunds_tenant_status ON refunds (tenant_id, status);

CREATE TABLE payouts (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    dedupe_key         text NOT NULL UNIQUE,
    source             varchar(50) NOT NULL,
    source_id          varchar(255) NOT NULL,
    source_created     timestamptz,
    synced_at          timestamptz,
    payout_id          varchar(255),
    status             varchar(50),
    currency           varchar(3),
    gross_amount       numeric(19,4),
    fee_amount         numeric(19,4),
    net_amount         numeric(19,4),
    arrival_date       date,
    transaction_count  integer,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, tenant_id),
    CONSTRAINT payouts_dedupe_key_format CHECK (
        starts_with(dedupe_key, tenant_id::text || ':' || source || ':')
        AND right(dedupe_key, length(source_id) + 1) = ':' || source_id
        AND length(dedupe_key) > length(tenant_id::text) + length(source) + length(source_id) + 3)
);
CREATE INDEX idx_payouts_tenant_source_created ON payouts (tenant_id, source_created DESC);
CREATE INDEX idx_payouts_tenant_status ON payouts (tenant_id, status);

CREATE TABLE payout_lines (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    dedupe_key      text NOT NULL UNIQUE,
    source          varchar(50) NOT NULL,
    source_id       varchar(255) NOT NULL,
    source_created  timestamptz,
    synced_at       timestamptz,
    payout_id       uuid NOT NULL,
    fee_type        varchar(100),
    amount          numeric(19,4),
    currency        varchar(3),
    description     text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payout_lines_dedupe_key_format CHECK (
        starts_with(dedupe_key, tenant_id::text || ':' || source || ':')
        AND right(dedupe_key, length(source_id) + 1) = ':' || source_id
        AND length(dedupe_key) > length(tenant_id::text) + length(source) + length(source_id) + 3),
    FOREIGN KEY (payout_id, tenant_id) REFERENCES payouts (id, tenant_id) ON DELETE CASCADE DEFERRABLE
);
CREATE INDEX idx_payout_lines_tenant_source_created ON payout_lines (tenant_id, source_created DESC);
CREATE INDEX idx_payout_lines_payout ON payout_lines (payout_id);

CREATE TABLE disputes (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    dedupe_key      text NOT NULL UNIQUE,
    source          varchar(50) NOT NULL,
    source_id       varchar(255) NOT NULL,
    source_created  timestamptz,
    synced_at       timestamptz,
    charge_id       varchar(255),
    reason          text,
    amount          numeric(19,4),
    currency        varchar(3),
    status          varchar(50),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT disputes_dedupe_key_format CHECK (
        starts_with(dedupe_key, tenant_id::text || ':' || source || ':')
        AND right(dedupe_key, length(source_id) + 1) = ':' || source_id
        AND length(dedupe_key) > length(tenant_id::text) + length(source) + length(source_id) + 3)
);
CREATE INDEX idx_disputes_tenant_source_created ON disputes (tenant_id, source_created DESC);
CREATE INDEX idx_disputes_tenant_status ON disputes (tenant_id, status);

CREATE TABLE netsuite_postings (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE DEFERRABLE,
    dedupe_key        text NOT NULL UNIQUE,
    source            varchar(50) NOT NULL,
    source_id         varchar(255) NOT NULL,
    source_created    timestamptz,
    synced_at         timestamptz,
    transaction_type  varchar(100),
    internal_id       varchar(100),
    tran_id           varchar(100),
    tran_date         date,
    posting_period    varchar(100),
    account_id        varchar(100),
    amount            numeric(19,4),
    currency          varchar(3),
    subsidiary_id     varchar(100),
    memo              text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT netsuite_postings_dedupe_key_format CHECK (
        starts_with(dedupe_key, tenant_id::text || ':' || source || ':')
        AND right(dedupe_key, length(source_id) + 1) = ':' || source_id
        AND length(dedupe_key) > length(tenant_id::text) + length(source) + length(source_id) + 3)
);
CREATE INDEX idx_netsuite_postings_tenant_source_created ON netsuite_postings (tenant_id, source_created DESC);
CREATE INDEX idx_netsuite_postings_tenant_tran_date ON netsuite_postings (tenant_id, tran_date DESC);
