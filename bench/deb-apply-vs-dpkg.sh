#!/usr/bin/env bash
# The same real update set applied to the same Debian image in one run: by Dormant offline
# (`dormant patch apply`, check-in included) and by `dpkg -i` in a chroot of a copy of the image
# (the `dpkg -i` calls of bench/fixtures/dpkg-oracle.sh, in its sandbox). Prints the times and the ratios.
#
#   bench/deb-apply-vs-dpkg.sh [ROUNDS [IMAGE_DIR UPDATES_DIR]]
#
# Without IMAGE_DIR and UPDATES_DIR: the fixture's service image and its real updates (built and
# cached by bench/fixtures). With them: any Debian tree and a directory of .deb files that upgrade
# packages of it (the tree is only read).
#
# The baseline is `dpkg -i` of the set in a copy of the tree, in the oracle's sandbox; the copy
# (cp -a) is timed apart, and a second ratio includes it, as Dormant's first apply includes its
# checkout. Dormant is timed three ways, as a campaign meets it:
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

# The baseline is the copy of the tree and `dpkg -i` in it, in the oracle's sandbox (no network,
# policy-rc.d 101), nothing else: the oracle script also hashes every .deb, asks dpkg-deb about each
# one, and runs `dpkg --audit` and two `dpkg -V` over the whole tree, which are checks, not the
# install. It runs once, untimed, for its `dpkg -i` calls (one per Pre-Depends layer), which each
# timed run repeats.
# shellcheck source-path=SCRIPTDIR source=fixtures/lib.sh
source "$root/bench/fixtures/lib.sh"
"$root/bench/fixtures/dpkg-oracle.sh" "$image" "$updates" "$work/layers" >/dev/null 2>&1 \
    || { echo "error: bench/fixtures/dpkg-oracle.sh failed on $image with $updates" >&2; exit 1; }
mapfile -t dpkg_calls < <(sed -n 's/^### dpkg //p' "$work/layers.dpkg.log")
rm -rf --one-file-system "$work/layers" "$work"/layers.*

# dpkg runs before and after each block of Dormant runs, and a block's ratios use the mean of the
# two: this machine's speed drifts by a third within minutes, and a baseline measured next to the
# runs it is compared with drifts least. Prints the copy's seconds and dpkg's.
# The machine's busy CPU time so far, in clock ticks (user, nice, system, irq, softirq of every
# core): dpkg runs in a sandbox whose processes no rusage of ours sees, so its CPU is measured as
# what the machine did while it ran (run the bench on an otherwise quiet machine).
cpu_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
dpkg_run() {
    local t0 t1 t1b t2 tree="$work/dpkg-tree" call
    settle
    t0=$(now)
    cp -a --reflink=auto "$image" "$tree"
    t1=$(now)
    settle
    t1b=$(now)
    install_policy_rc_d "$tree" "$work/policy-rc.d.saved"
    sandbox_args "$tree"
    SANDBOX+=(--unshare-net --ro-bind "$updates" /run/dormant/debs --chdir /run/dormant/debs)
    busy0=$(cpu_busy)
    for call in "${dpkg_calls[@]}"; do
        # shellcheck disable=SC2086  # the options and files of one recorded call
        "${SANDBOX[@]}" dpkg $call </dev/null >>"$work/dpkg.log" 2>&1 \
            || { tail -20 "$work/dpkg.log" >&2; echo "error: dpkg $call failed in $tree" >&2; return 1; }
    done
    restore_policy_rc_d "$tree" "$work/policy-rc.d.saved"
    t2=$(now)
    rm -rf --one-file-system "$tree"
    settle
    busy1=$(cpu_busy)
    echo "$(echo "$t1 - $t0" | bc) $(echo "$t2 - $t1b" | bc) $(echo "($busy1 - $busy0) / $(getconf CLK_TCK)" | bc -l)"
}

dpkg_before=$(dpkg_run)
for ((i = 1; i <= rounds; i++)); do
    echo "round $i:"
    for mode in resident in-place; do
        [[ $mode == resident ]] && export DORMANT_RESIDENT=1 || export DORMANT_RESIDENT=0
        stop_resident
        rm -rf "$work/home/cache" "${DORMANT_CHECKOUTS:?}"/*
        settle
        busy0=$(cpu_busy)
        t0=$(now)
        apply
        t1=$(now)
        first_cpu=$(echo "($(cpu_busy) - $busy0) / $(getconf CLK_TCK)" | bc -l)
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
        read -r copy_before dpkg_i_before dpkg_cpu_before <<<"$dpkg_before"
        read -r copy_after dpkg_i_after dpkg_cpu_after <<<"$dpkg_after"
        dpkg_s=$(echo "($dpkg_i_before + $dpkg_i_after) / 2" | bc -l)
        copy_s=$(echo "($copy_before + $copy_after) / 2" | bc -l)
        with_copy=$(echo "$dpkg_s + $copy_s" | bc -l)
        first=$(echo "$t1 - $t0" | bc) next=$(echo "$t2 - $t1b" | bc) again=$(echo "$t3 - $t2b" | bc)
        printf '  %-9s first %5.1f s | next image %5.1f s | again %5.1f s | dpkg -i %4.1f-%4.1f s (its copy of the tree %.1f s)\n' \
            "$mode" "$first" "$next" "$again" "$dpkg_i_before" "$dpkg_i_after" "$copy_s"
        printf '  %-9s dpkg -i / dormant: %.2fx, %.2fx, %.2fx (goal >= 5) | with the copy: %.2fx, %.2fx, %.2fx\n' "$mode" \
            "$(ratio "$dpkg_s" "$first")" "$(ratio "$dpkg_s" "$next")" "$(ratio "$dpkg_s" "$again")" \
            "$(ratio "$with_copy" "$first")" "$(ratio "$with_copy" "$next")" "$(ratio "$with_copy" "$again")"
        if [[ -n $warm ]]; then
            printf '  %-9s first in a warm process %5.1f s | dpkg -i / dormant: %.2fx | with the copy: %.2fx\n' "$mode" "$warm" \
                "$(ratio "$dpkg_s" "$warm")" "$(ratio "$with_copy" "$warm")"
        fi
        # What bounds dpkg on this machine: its CPU, or waiting (mostly for the fsync of every file).
        printf '  %-9s the machine was busy %.1f-%.1f CPU-s while dpkg -i ran %.1f-%.1f s\n' "$mode" \
            "$dpkg_cpu_before" "$dpkg_cpu_after" "$dpkg_i_before" "$dpkg_i_after"
        printf '  %-9s the machine was busy %.1f CPU-s while the first apply ran %.1f s\n' "$mode" "$first_cpu" "$first"
        dpkg_before=$dpkg_after
    done
    # Where the resident "again" spent its time (the report's "timings", one phase per line).
    echo "  resident again, ms per phase:"
    sed -n '/"timings"/,/}/p' "$work/again-resident-$i.json" | sed -n 's/^ *"\([^"]*\)" : \([0-9][0-9]*\).*/    \2\t\1/p'
done
stop_resident
printf '%s packages, %s\n' "$(ls "$updates"/*.deb | wc -l)" "$(du -sh "$updates" | cut -f1)"
