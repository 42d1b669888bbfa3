#!/usr/bin/env bash
# Imports the same Debian tree with Dormant's library and with `ostree commit` into a bare
# repository, alternating, in one run, and prints the ratios (absolute times on a shared machine
# mean little; ratios do). Both make their writes durable: ostree fsyncs each object (its default),
# Dormant syncs the store's file system once before a version could name the objects.
#
#   bench/import-vs-ostree.sh            # the cached debootstrap tree (bench/fixtures/debian-rootfs.sh)
#   DORMANT_TEST_ROOTFS=/some/tree bench/import-vs-ostree.sh
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DORMANT_TEST_ROOTFS="${DORMANT_TEST_ROOTFS:-$("$root/bench/fixtures/debian-rootfs.sh")}"
export DORMANT_TEST_ROOTFS
command -v ostree >/dev/null || { echo "error: ostree is not installed (apt-get install ostree)" >&2; exit 1; }

cd "$root"
mvn -B -q -o install -DskipTests -pl library -am >/dev/null
mvn -B -q -o verify -pl library -Ddormant.bench=true -Dit.test=ImportBenchmarkIT -Dtest=none \
    -Dsurefire.failIfNoSpecifiedTests=false >/dev/null
cat library/target/import-benchmark.txt
