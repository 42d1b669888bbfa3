-- Workflows: patch runs that wait for an approval between apply and check-in, campaigns over many
-- images, and the staged results that are not versions yet.

-- A staged version: the result of an offline apply whose objects are durable in the store but which
-- is not a version until someone approves it. gc keeps what a staged root names. Approving turns it
-- into an image_version row and deletes this row in one transaction; rejecting only deletes it.
create table staged_version (
    id          bigserial primary key,
    image_id    bigint      not null references image (id),
    parent_id   bigint      not null references image_version (id),
    root_tree   char(64)    not null check (root_tree ~ '^[0-9a-f]{64}$'),
    reason      text        not null check (reason in ('import', 'patch', 'sandbox', 'rollback')),
    created_by  text        not null,
    created_at  timestamptz not null default now(),
    summary     text        not null default ''
);

alter table campaign add column plan_approval boolean not null default false;
alter table campaign add column image_approval boolean not null default true;
alter table campaign drop column approval_policy;
alter table campaign add column updated_at timestamptz not null default now();

alter table campaign_run drop constraint campaign_run_state_check;
alter table campaign_run add constraint campaign_run_state_check
    check (state in ('selecting', 'awaiting-approval', 'running', 'succeeded', 'failed', 'rejected', 'cancelled'));
alter table campaign_run add column images_selected integer not null default 0;
alter table campaign_run add column error text;
-- The images selected for this run, in order: the multi-instance of patch-campaign walks this list.
alter table campaign_run add column selection jsonb not null default '[]';

-- One run of patch-image on one image. While a run is active its image is locked: the partial unique
-- index is what makes "never two runs on one image at once" hold across engines and restarts.
create table patch_run (
    id                   bigserial primary key,
    image_id             bigint      not null references image (id),
    source_version_id    bigint      references image_version (id),
    campaign_run_id      bigint      references campaign_run (id),
    process_instance_id  text,
    state                text        not null check (state in ('running', 'awaiting-approval', 'succeeded',
                                         'not-applicable', 'rejected', 'refused', 'busy', 'failed', 'cancelled')),
    started_by           text        not null,
    started_at           timestamptz not null default now(),
    ended_at             timestamptz,
    staged_id            bigint      references staged_version (id) on delete set null,
    created_version_id   bigint      references image_version (id),
    patches              jsonb       not null default '[]',
    report               jsonb,
    outcome              text        not null default ''
);
create unique index patch_run_one_active_per_image on patch_run (image_id) where state in ('running', 'awaiting-approval');
create index patch_run_campaign_run on patch_run (campaign_run_id);

-- A campaign's apply slots (its concurrency limit): a row per run that is applying offline now.
-- Kept apart from patch_run, without foreign keys, because slots are taken and given back in
-- transactions of their own while the step's transaction holds its run's row.
create table apply_slot (
    patch_run_id     bigint      primary key,
    campaign_run_id  bigint      not null,
    taken_at         timestamptz not null default now()
);
