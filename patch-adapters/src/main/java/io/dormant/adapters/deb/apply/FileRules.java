package io.dormant.adapters.deb.apply;

/** dpkg's rules for the files of an image during one apply, over one view of who owns each path. */
record FileRules(FileOwners owners, ObsoleteFiles obsolete, ConffileUpgrade conffiles, FileTakeover takeover,
                 Disappearance disappearance) {
}
