#!/usr/bin/env bash
# The same real update set applied to the same Debian image twice in one run: by Dormant offline
# (`dormant patch apply`, check-in included) and by `dpkg -i` in a chroot of a copy of the image
# (bench/fixtures/dpkg-oracle.sh). Prints both times and the ratio.
#
#   bench/deb-apply-vs-dpkg.sh [ROUNDS]
#
# Both sides include making their working copy of the image: the oracle copies the tree (cp -a),
# Dormant checks the version out once into its cache (later applies to the same version reuse it;
# that second, warm time is printed too).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
rounds="${1:-1}"
image="$("$root/bench/fixtures/debian-service-image.sh")"
updates="$("$root/bench/fixtures/debian-updates.sh" "$image")"
work="$(mktemp -d /var/tmp/dormant-bench-apply.XXXXXX)"
export DORMANT_HOME="$work/home"
trap '"$root/dormant" db stop >/dev/null 2>&1 || true; rm -rf --one-file-system "$work"' EXIT

"$root/dormant" image import bench "$image" >/dev/null
now() { date +%s.%N; }

for ((i = 1; i <= rounds; i++)); do
    t0=$(now)
    "$root/bench/fixtures/dpkg-oracle.sh" "$image" "$updates" "$work/oracle-$i" >/dev/null 2>&1
    t1=$(now)
    rm -rf "$work/home/cache/checkouts"
    "$root/dormant" patch apply bench@1 "$updates"/*.deb >/dev/null
    t2=$(now)
    "$root/dormant" patch apply bench@1 "$updates"/*.deb --report "$work/warm-$i.json" >/dev/null
    t3=$(now)
    rm -rf --one-file-system "$work/oracle-$i" "$work/oracle-$i".*
    printf 'round %d: dpkg -i in chroot %6.1f s | dormant (cold checkout) %6.1f s | dormant (warm) %6.1f s\n' \
        "$i" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$(echo "$t3 - $t2" | bc)"
    printf 'ratio dpkg / dormant: cold %.2fx, warm %.2fx (goal >= 5)\n' \
        "$(echo "($t1 - $t0) / ($t2 - $t1)" | bc -l)" "$(echo "($t1 - $t0) / ($t3 - $t2)" | bc -l)"
    # Where the warm apply's time went (the report's "timings", one phase per line).
    echo "warm apply, ms per phase:"
    sed -n '/"timings"/,/}/p' "$work/warm-$i.json" | sed -n 's/^ *"\([^"]*\)" : \([0-9][0-9]*\).*/  \2\t\1/p'
done
printf '%s packages, %s\n' "$(ls "$updates"/*.deb | wc -l)" "$(du -sh "$updates" | cut -f1)"
