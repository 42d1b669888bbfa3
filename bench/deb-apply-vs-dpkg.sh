#!/usr/bin/env bash
# The same real update set applied to the same Debian image in one run: by Dormant offline
# (`dormant patch apply`, check-in included) and by `dpkg -i` in a chroot of a copy of the image
# (bench/fixtures/dpkg-oracle.sh). Prints the times and the ratios.
#
#   bench/deb-apply-vs-dpkg.sh [ROUNDS [IMAGE_DIR UPDATES_DIR]]
#
# Without IMAGE_DIR and UPDATES_DIR: the fixture's service image and its real updates (built and
# cached by bench/fixtures). With them: any Debian tree and a directory of .deb files that upgrade
# packages of it (the tree is only read).
#
# Both sides include making their working copy of the image: the oracle copies the tree (cp -a),
# Dormant checks the version out into its cache. Dormant is timed three ways, as a campaign meets it:
#   first  - nothing cached: the first image of the first campaign with these packages;
#   next   - the version's checkout made afresh, but the packages' decompressed data and python
#            byte-compilation kept from earlier applies: the next image of a campaign;
#   again  - everything cached: the same version patched again.
# and, for the resident process only:
#   first, warm - nothing cached again, but in the process that made the runs before: the first image
#            of a new campaign in a Dormant that has applied patches before (the engine of
#            `dormant serve`, or a resident process). It differs from "first" by the JVM's warm-up.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
rounds="${1:-1}"
if [[ $# -ge 3 ]]; then
    image="$(readlink -f "$2")" updates="$(readlink -f "$3")"
    [[ -d "$image/var/lib/dpkg" ]] || { echo "error: $image is not a Debian tree (no var/lib/dpkg)" >&2; exit 1; }
    compgen -G "$updates/*.deb" >/dev/null || { echo "error: no .deb files in $updates" >&2; exit 1; }
else
    image="$("$root/bench/fixtures/debian-service-image.sh")"
    updates="$("$root/bench/fixtures/debian-updates.sh" "$image")"
fi
work="$(mktemp -d /var/tmp/dormant-bench-apply.XXXXXX)"
export DORMANT_HOME="$work/home"
# Checkouts where Dormant puts them by default (a memory file system when there is one), in a
# directory of the bench's own, so that "next image" can drop them.
if [[ "$(stat -f -c %T /dev/shm 2>/dev/null)" == tmpfs ]]; then
    DORMANT_CHECKOUTS="$(mktemp -d /dev/shm/dormant-bench-checkouts.XXXXXX)"
else
    DORMANT_CHECKOUTS="$work/checkouts"
fi
export DORMANT_CHECKOUTS
trap 'rm -f "$DORMANT_HOME"/run/resident-*.sock; "$root/dormant" db stop >/dev/null 2>&1 || true; rm -rf --one-file-system "$work" "$DORMANT_CHECKOUTS"' EXIT

"$root/dormant" image import bench "$image" >/dev/null
now() { date +%s.%N; }

# Progress lines go to a log; a failed apply shows its end.
# Each timed step starts with nothing left to write back: Dormant's check-in syncs the file system
# (syncfs), and dpkg fsyncs every file, so either would otherwise pay for what the step before it
# (or the removal of the last oracle tree) left dirty.
settle() { sync; }
apply() {
    "$root/dormant" patch apply bench@1 "$updates"/*.deb "$@" >"$work/apply.log" 2>&1 || { tail -20 "$work/apply.log" >&2; return 1; }
}
# A resident process ends within a second of its socket being removed.
stop_resident() { rm -f "$DORMANT_HOME"/run/resident-*.sock; sleep 2; }
ratio() { echo "$1 / $2" | bc -l; }

# dpkg runs before and after each block of Dormant runs, and a block's ratios use the mean of the
# two: this machine's speed drifts by a third within minutes, and a baseline measured next to the
# runs it is compared with drifts least.
dpkg_run() {
    local t0 t1
    settle
    t0=$(now)
    "$root/bench/fixtures/dpkg-oracle.sh" "$image" "$updates" "$work/oracle" >/dev/null 2>&1
    t1=$(now)
    rm -rf --one-file-system "$work/oracle" "$work/oracle".*
    settle
    echo "$t1 - $t0" | bc
}

dpkg_before=$(dpkg_run)
for ((i = 1; i <= rounds; i++)); do
    echo "round $i:"
    for mode in resident in-place; do
        [[ $mode == resident ]] && export DORMANT_RESIDENT=1 || export DORMANT_RESIDENT=0
        stop_resident
        rm -rf "$work/home/cache" "${DORMANT_CHECKOUTS:?}"/*
        settle
        t0=$(now)
        apply
        t1=$(now)
        rm -rf "${DORMANT_CHECKOUTS:?}"/*
        settle
        t1b=$(now)
        apply
        t2=$(now)
        settle
        t2b=$(now)
        apply --report "$work/again-$mode-$i.json"
        t3=$(now)
        warm=""
        if [[ $mode == resident ]]; then
            rm -rf "$work/home/cache" "${DORMANT_CHECKOUTS:?}"/*
            settle
            t3b=$(now)
            apply
            t4=$(now)
            warm=$(echo "$t4 - $t3b" | bc)
        fi
        dpkg_after=$(dpkg_run)
        dpkg_s=$(echo "($dpkg_before + $dpkg_after) / 2" | bc -l)
        first=$(echo "$t1 - $t0" | bc) next=$(echo "$t2 - $t1b" | bc) again=$(echo "$t3 - $t2b" | bc)
        printf '  %-9s first %5.1f s | next image %5.1f s | again %5.1f s | dpkg -i %4.1f-%4.1f s | dpkg / dormant: %.2fx, %.2fx, %.2fx (goal >= 5)\n' \
            "$mode" "$first" "$next" "$again" "$dpkg_before" "$dpkg_after" \
            "$(ratio "$dpkg_s" "$first")" "$(ratio "$dpkg_s" "$next")" "$(ratio "$dpkg_s" "$again")"
        if [[ -n $warm ]]; then
            printf '  %-9s first in a warm process %5.1f s | dpkg / dormant: %.2fx\n' "$mode" "$warm" "$(ratio "$dpkg_s" "$warm")"
        fi
        dpkg_before=$dpkg_after
    done
    # Where the resident "again" spent its time (the report's "timings", one phase per line).
    echo "  resident again, ms per phase:"
    sed -n '/"timings"/,/}/p' "$work/again-resident-$i.json" | sed -n 's/^ *"\([^"]*\)" : \([0-9][0-9]*\).*/    \2\t\1/p'
done
stop_resident
printf '%s packages, %s\n' "$(ls "$updates"/*.deb | wc -l)" "$(du -sh "$updates" | cut -f1)"
