#!/bin/sh
# Dormant confine shim for @COMMAND@, bound over the real command while a package script runs
# against an offline image. Calls that would start, restart or reload a service are appended to
# the record file and not run, so they can be deferred to first boot; so are the boot loader's,
# which need the image's disks. Other calls answer as on a system where nothing runs; systemctl's
# offline verbs (enable, disable, mask, is-enabled, ...) go to the image's own systemctl.
command=@COMMAND@
record=/run/dormant/deferred
real_systemctl=/run/dormant/real/systemctl

record() {
	line=$command
	sep=$(printf '\037')
	for word in "$@"; do
		line=$line$sep$word
	done
	printf '%s\036' "$line" >> "$record"
}

starts() {
	case "$1" in
		start|restart|reload|try-restart|reload-or-restart|try-reload-or-restart|reload-or-try-restart|condrestart|force-reload)
			return 0 ;;
	esac
	return 1
}

# The n-th argument that is not an option.
nth_word() {
	n=$1
	shift
	for word in "$@"; do
		case "$word" in
			-*) continue ;;
		esac
		n=$((n - 1))
		if [ "$n" -eq 0 ]; then
			printf '%s' "$word"
			return 0
		fi
	done
}

# A unit's LoadState from the unit files, first directory first: masked when linked to /dev/null,
# loaded when a file (or, for a service, an init script for systemd's SysV generator) is there.
show_load_state() {
	name=$1
	case "$name" in
		*.*) ;;
		*) name=$name.service ;;
	esac
	template=
	case "$name" in
		*@?*.*) template=${name%%@*}@.${name##*.} ;;
	esac
	state=not-found
	for dir in /etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
		for file in "$dir/$name" ${template:+"$dir/$template"}; do
			if { [ -L "$file" ] && [ "$(readlink "$file")" = /dev/null ]; } || { [ -f "$file" ] && [ ! -s "$file" ]; }; then
				state=masked
			elif [ -e "$file" ]; then
				state=loaded
			else
				continue
			fi
			break 2
		done
	done
	if [ "$state" = not-found ] && [ "${name%.service}" != "$name" ] && [ -x "/etc/init.d/${name%.service}" ]; then
		state=loaded
	fi
	if [ -n "$2" ]; then
		echo "$state"
	else
		echo "LoadState=$state"
	fi
}

case "$command" in
	@BOOT_LOADER@)
		# They need the image's disks; the first boot has them.
		record "$@"
		exit 0 ;;
	systemctl)
		verb=
		now=
		quiet=
		value_follows=
		# For "show": the properties asked for, whether as bare values, and the units named.
		properties=
		values=
		units=0
		unit=
		for word in "$@"; do
			if [ -n "$value_follows" ]; then
				[ "$value_follows" = property ] && properties=$properties,$word
				value_follows=
				continue
			fi
			case "$word" in
				--now) now=1 ;;
				-q|--quiet) quiet=1 ;;
				--value) values=1 ;;
				--property=*) properties=$properties,${word#--property=} ;;
				-p|--property) value_follows=property ;;
				-P) value_follows=property; values=1 ;;
				-t|-H|-M|-n|-o|-s|--type|--host|--machine|--lines|--output|--signal|--job-mode|--kill-whom|--root|--state|--preset-mode|--what|--timestamp|--message|--image|--when)
					value_follows=1 ;;
				-*) ;;
				*)
					if [ -z "$verb" ]; then
						verb=$word
					else
						units=$((units + 1))
						unit=$word
					fi ;;
			esac
		done
		if starts "$verb"; then
			record "$@"
			exit 0
		fi
		case "$verb" in
			is-active|is-failed)
				# Nothing runs in an offline image; systemctl in a chroot would wrongly say 0.
				[ -n "$quiet" ] || echo inactive
				[ "$verb" = is-active ] && exit 3
				exit 1 ;;
			show)
				# The image's systemctl ignores "show" offline (empty, exit 0); a unit's LoadState is
				# read from its unit files as systemd would (systemd's postinst restarts binfmt and
				# sysctl unless they are masked). Other properties go to it as before.
				if [ "$units" = 1 ] && [ "$properties" = ,LoadState ]; then
					show_load_state "$unit" "$values"
					exit 0
				fi ;;
			status)
				# A unit's status where nothing runs is "inactive", exit 3; the image's systemctl
				# offline ignores the verb and exits 0, so an init script's "status" (redirected
				# here by init-functions) would say the service runs and its postinst skip the
				# start it asks for (nagios4-core's).
				[ "$units" -gt 0 ] && exit 3
				exit 0 ;;
		esac
		if [ -n "$now" ]; then
			record "$@"
			for word do
				shift
				[ "$word" = --now ] || set -- "$@" "$word"
			done
		fi
		SYSTEMD_OFFLINE=1
		export SYSTEMD_OFFLINE
		exec "$real_systemctl" "$@" ;;
	invoke-rc.d)
		action=$(nth_word 2 "$@")
		# As invoke-rc.d does on a systemd system: a unit of its own means systemd's way starts it.
		case " $* " in
			*" --skip-systemd-native "*)
				name=$(nth_word 1 "$@")
				if [ -d /run/systemd/system ]; then
					for dir in /etc/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
						[ -e "$dir/$name.service" ] && exit 0
					done
				fi ;;
		esac ;;
	service)
		action=$(nth_word 2 "$@") ;;
	deb-systemd-invoke|initctl)
		action=$(nth_word 1 "$@") ;;
	start-stop-daemon)
		action=
		oknodo=
		for word in "$@"; do
			case "$word" in
				-S|--start) action=start ;;
				-K|--stop) action=stop ;;
				-T|--status) action=status ;;
				-o|--oknodo) oknodo=1 ;;
			esac
		done
		case "$action" in
			start) record "$@"; exit 0 ;;
			stop) [ -n "$oknodo" ] && exit 0; exit 1 ;;
			status) exit 3 ;;
		esac
		exit 0 ;;
esac

if starts "$action"; then
	record "$@"
	exit 0
fi
case "$action" in
	status) exit 3 ;;
esac
exit 0
