#!/bin/sh
# Dormant first-boot runner. Offline patching deferred these steps because they need a running
# system (service restarts, scripts that could not be emulated or confined). It runs each step
# once, in order, logs to /var/log/dormant-firstboot.log, then removes itself and its unit.
set -u
steps=/var/lib/dormant/firstboot/steps
log=/var/log/dormant-firstboot.log
exec >>"$log" 2>&1

now() { date '+%Y-%m-%dT%H:%M:%S%z'; }

echo "$(now) dormant-firstboot: start"
failed=0
for step in "$steps"/*.sh; do
    [ -e "$step" ] || continue
    name=$(basename "$step")
    echo "$(now) step $name"
    if sh "$step"; then
        echo "$(now) step $name: ok"
        rm -f "$step"
    else
        status=$?
        echo "$(now) step $name: FAILED with exit code $status (kept as $step.failed)"
        mv "$step" "$step.failed"
        failed=$((failed + 1))
    fi
done

# Self-removal, whatever the outcome: a failed step is kept for the admin and logged, never retried
# at every boot.
rm -f /etc/systemd/system/multi-user.target.wants/dormant-firstboot.service \
      /etc/systemd/system/dormant-firstboot.service \
      /etc/init.d/dormant-firstboot /etc/rc2.d/S99dormant-firstboot /etc/rc3.d/S99dormant-firstboot \
      /etc/rc4.d/S99dormant-firstboot /etc/rc5.d/S99dormant-firstboot
# insserv's boot order lists the init script too; update-rc.d rewrites it without the script.
if grep -qsw dormant-firstboot /etc/init.d/.depend.start && command -v update-rc.d >/dev/null 2>&1; then
    update-rc.d dormant-firstboot remove >/dev/null 2>&1 || true
fi
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
fi
echo "$(now) dormant-firstboot: end, $failed failed step(s)"
rm -f "$0"
