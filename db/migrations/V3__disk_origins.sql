-- The disk image a version was imported from, as it was then (size, mtime and ctime), so that a later
-- version can be exported as a qcow2 overlay on it holding only what changed since.
create table version_disk (
    version_id      bigint primary key references image_version (id),
    path            text   not null,
    format          text   not null check (format in ('qcow2', 'vmdk', 'vhdx', 'vdi', 'vpc', 'raw')),
    size_bytes      bigint not null check (size_bytes >= 0),
    modified_nanos  bigint not null,
    changed_nanos   bigint not null
);
