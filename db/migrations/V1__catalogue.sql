-- Dormant's catalogue: what the content store holds, by name and lineage. The store holds the bytes;
-- these tables hold who made which version from what, and the evidence for the audit trail.

create table image (
    id          bigserial primary key,
    name        text        not null unique check (name ~ '^[a-z0-9][a-z0-9._-]{0,127}$'),
    created_at  timestamptz not null default now(),
    created_by  text        not null
);

-- A version is immutable: rows are inserted, never updated or deleted by a patch. It is written only
-- after every object its root tree names is durable in the store.
create table image_version (
    id          bigserial primary key,
    image_id    bigint      not null references image (id),
    number      integer     not null check (number > 0),
    parent_id   bigint      references image_version (id),
    root_tree   char(64)    not null check (root_tree ~ '^[0-9a-f]{64}$'),
    reason      text        not null check (reason in ('import', 'patch', 'sandbox', 'rollback')),
    created_by  text        not null,
    created_at  timestamptz not null default now(),
    summary     text        not null default '',
    unique (image_id, number)
);
create index image_version_root_tree on image_version (root_tree);

-- Installed packages of a version, read from the image's own package database at check-in.
create table package_inventory (
    version_id    bigint not null references image_version (id),
    format        text   not null check (format in ('deb', 'rpm', 'msi')),
    name          text   not null,
    version       text   not null,
    architecture  text   not null,
    status        text   not null,
    primary key (version_id, format, name, architecture)
);
create index package_inventory_name on package_inventory (format, name);

-- One package file, known by the digest of its bytes.
create table patch (
    id            bigserial primary key,
    digest        char(64)    not null unique check (digest ~ '^[0-9a-f]{64}$'),
    format        text        not null check (format in ('deb', 'rpm', 'msi')),
    name          text        not null,
    version       text        not null,
    architecture  text        not null,
    file_name     text        not null,
    size_bytes    bigint      not null check (size_bytes >= 0),
    metadata      jsonb       not null default '{}',
    added_at      timestamptz not null default now()
);

-- Which patches made which version, in the order they were applied.
create table version_patch (
    version_id  bigint  not null references image_version (id),
    patch_id    bigint  not null references patch (id),
    position    integer not null,
    primary key (version_id, patch_id)
);

create table campaign (
    id               bigserial primary key,
    name             text        not null unique,
    image_selector   jsonb       not null,
    patch_source     text        not null,
    schedule         text,
    approval_policy  text        not null default 'per-image',
    concurrency      integer     not null default 2 check (concurrency > 0),
    enabled          boolean     not null default true,
    created_by       text        not null,
    created_at       timestamptz not null default now()
);

create table campaign_run (
    id                   bigserial primary key,
    campaign_id          bigint      not null references campaign (id),
    state                text        not null check (state in ('planned', 'running', 'succeeded', 'failed', 'cancelled')),
    process_instance_id  text,
    started_by           text        not null,
    started_at           timestamptz not null default now(),
    ended_at             timestamptz,
    summary              jsonb       not null default '{}'
);

-- Append-only; each row carries the hash of its predecessor so that an edit or deletion is detectable.
create table audit_event (
    id             bigserial primary key,
    occurred_at    timestamptz not null default now(),
    actor          text        not null,
    kind           text        not null,
    subject        text        not null,
    details        jsonb       not null default '{}',
    previous_hash  char(64)    not null,
    hash           char(64)    not null unique
);
