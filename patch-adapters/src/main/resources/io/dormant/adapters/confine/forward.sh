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
call=$(mktemp -d "$calls/call.XXXXXXXX" 2>/dev/null) || exec "$real" "$@"
if ! mkfifo "$call/reply" 2>/dev/null; then
	rm -rf "$call"
	exec "$real" "$@"
fi
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
if ! echo "${call##*/}" > "$calls/requests"; then
	rm -rf "$call"
	exec "$real" "$@"
fi
{
	read -r answer code length
	if [ "$answer" = exit ]; then
		[ "$length" -gt 0 ] && head -c "$length" >&2
		[ -f "$call/stdout" ] && cat "$call/stdout"
		rm -rf "$call"
		exit "$code"
	fi
} < "$call/reply"
rm -rf "$call"
exec "$real" "$@"
