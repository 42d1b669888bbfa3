#!/bin/sh
# Dormant confine shim for @COMMAND@: the call is handed to Dormant, which performs it on the image
# when its emulation follows it (the same effect, without starting the command's interpreter) and
# answers with the command's exit code and output; any other call runs the image's own @COMMAND@.
# Called by another of its names (phpdismod is a link to phpenmod, a script that acts by the name
# it is called by), the call is that command's, and runs the real command under that name.
command=${0##*/}
case $command in
	''|.|..|*[!A-Za-z0-9._+-]*) command=@COMMAND@ ;;
esac
[ -e "/run/dormant/real/$command" ] || command=@COMMAND@
real=/run/dormant/real/$command
calls=/run/dormant/calls
for arg do
	case $arg in
		*'
'*) exec "$real" "$@" ;;
	esac
done
for name in @ENVIRONMENT@; do
	eval "value=\${$name-}"
	case $value in
		*'
'*) exec "$real" "$@" ;;
	esac
done
# A free slot of the JVM's (see ForwardedCalls), taken by creating its lock exclusively: no
# process is forked for it. All taken, the command runs itself. (true, not the special builtin
# ':', whose failed redirection would end the shell.)
call=
set -C
for slot in @SLOTS@; do
	if { true > "$calls/slot.$slot/lock"; } 2>/dev/null; then
		call=$calls/slot.$slot
		break
	fi
done
set +C
[ -n "$call" ] || exec "$real" "$@"
{
	printf '%s\n' "$command"
	echo $#
	for arg do
		printf '%s\n' "$arg"
	done
	for name in @ENVIRONMENT@; do
		eval "set=\${$name+1} value=\${$name-}"
		printf '%s %s %s\n' "$name" "${set:-0}" "$value"
	done
} > "$call/request"
echo "slot.$slot" > "$calls/requests" || exec "$real" "$@"
{
	read -r answer code length
	if [ "$answer" = exit ]; then
		[ "$length" -gt 0 ] && head -c "$length" >&2
		[ -f "$call/stdout" ] && cat "$call/stdout"
		echo "done slot.$slot" > "$calls/requests"
		exit "$code"
	fi
} < "$call/reply"
echo "done slot.$slot" > "$calls/requests"
exec "$real" "$@"
