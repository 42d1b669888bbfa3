package io.dormant.adapters.deb.apply;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spreads the byte-compilation of a python3.X package's postinst over the cores. Those postinsts
 * compile a few hundred files of the standard library in one interpreter ({@code /usr/bin/python3.11
 * -E -S /usr/lib/python3.11/py_compile.py $files}), which is most of an apply's confined time and
 * runs on one core while the other idles. {@code py_compile} compiles each file on its own and
 * writes its {@code .pyc} atomically, so N interpreters, each given every Nth file, write the same
 * files with the same bytes (checked against dpkg's own run by the fidelity test). Only that exact
 * line shape of a POSIX shell script is rewritten, in the copy of the script the sandbox runs; the
 * image's script and anything else stay as they are.
 * <p>
 * Only for the interpreters whose {@code .pyc} bytes were checked to be the same whichever process
 * compiles a file ({@link #SAME_BYTES_IN_ANY_PROCESS}). Others compile as the script says: python
 * 3.10 and older write a frozenset's items in hash order, which each process randomizes (their
 * bytes differ from run to run, dpkg's included; the fidelity test compares their code objects).
 * trixie's python3.13 was checked and must not be split either: its bytes are the same from run to
 * run, but depend on what the process compiled before (compiled in two halves, the stdlib's
 * {@code functools.cpython-313.opt-1.pyc} differs from the single run's), so neither a split nor
 * the cache, which keys each file by its own inputs, would write what dpkg writes.
 */
final class ByteCompileSplit {

    private static final Pattern COMPILE = Pattern.compile(
            "^([ \\t]*)(/usr/bin/python3(?:\\.[0-9]+)?)((?:[ \\t]+-[A-Za-z]+)*)[ \\t]+(/usr/lib/python3(?:\\.[0-9]+)?/py_compile\\.py)"
                    + "[ \\t]+(\\$[A-Za-z_][A-Za-z0-9_]*|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})[ \\t]*$",
            Pattern.MULTILINE);
    private static final String FUNCTION = "dormant_byte_compile_split";
    /** bookworm's python3.11, checked against dpkg's own runs on five images. */
    static final java.util.Set<String> SAME_BYTES_IN_ANY_PROCESS = java.util.Set.of("/usr/bin/python3.11");
    /** {@link io.dormant.adapters.deb.python.ByteCompileCache}'s command in the sandbox. */
    private static final String CACHE = "/run/dormant/bin/" + io.dormant.adapters.deb.python.ByteCompileCache.COMMAND;

    private ByteCompileSplit() {
    }

    /** The script with its byte-compilation lines spread over {@code processes}, or null when it has none. */
    static byte[] rewrite(byte[] script, int processes) {
        if (processes < 2) {
            return null;
        }
        String text = new String(script, StandardCharsets.ISO_8859_1);
        int firstLineEnd = ShellScriptText.firstLineEnd(text);
        if (firstLineEnd < 0) {
            return null;
        }
        Matcher lines = COMPILE.matcher(text);
        boolean[] split = {false};
        String body = lines.replaceAll(m -> {
            if (!SAME_BYTES_IN_ANY_PROCESS.contains(m.group(2))) {
                return Matcher.quoteReplacement(m.group());
            }
            split[0] = true;
            return Matcher.quoteReplacement(m.group(1) + FUNCTION + " " + m.group(2) + m.group(3) + " " + m.group(4) + " " + m.group(5));
        });
        if (!split[0]) {
            return null;
        }
        String rewritten = text.substring(0, firstLineEnd + 1) + function(processes) + body.substring(firstLineEnd + 1);
        return rewritten.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Every {@code processes}th file to one interpreter, all at once; fails like the single run
     * would (py_compile tries every file and exits non-zero if one failed). Fewer than two files:
     * one run, exactly as written. Word splitting of the file list is the original line's own.
     */
    private static String function(int processes) {
        return """
                %1$s() {
                    _dbc_python=$1; shift
                    _dbc_options=
                    while [ $# -gt 0 ]; do
                        case $1 in -*) _dbc_options="$_dbc_options $1"; shift ;; *) break ;; esac
                    done
                    _dbc_compiler=$1; shift
                    # Dormant writes the .pyc files an earlier apply compiled from the same inputs
                    # and names the files left to compile; unanswered, every file is compiled.
                    _dbc_cache=%3$s
                    _dbc_cached=
                    if [ $# -gt 0 ] && [ -x "$_dbc_cache" ] \
                            && _dbc_left=$("$_dbc_cache" lookup "$_dbc_python" "$_dbc_options" "$_dbc_compiler" "$@"); then
                        _dbc_cached=1
                        set -- $_dbc_left
                        [ $# -gt 0 ] || return 0
                    fi
                    _dbc_status=0
                    if [ $# -lt 2 ]; then
                        "$_dbc_python" $_dbc_options "$_dbc_compiler" "$@" || _dbc_status=$?
                    else
                        _dbc_pids=
                        _dbc_part=0
                        while [ $_dbc_part -lt %2$d ]; do
                            _dbc_files=
                            _dbc_index=0
                            for _dbc_file in "$@"; do
                                if [ $((_dbc_index %% %2$d)) -eq $_dbc_part ]; then
                                    _dbc_files="$_dbc_files $_dbc_file"
                                fi
                                _dbc_index=$((_dbc_index + 1))
                            done
                            if [ -n "$_dbc_files" ]; then
                                "$_dbc_python" $_dbc_options "$_dbc_compiler" $_dbc_files &
                                _dbc_pids="$_dbc_pids $!"
                            fi
                            _dbc_part=$((_dbc_part + 1))
                        done
                        for _dbc_pid in $_dbc_pids; do
                            wait $_dbc_pid || _dbc_status=$?
                        done
                    fi
                    if [ $_dbc_status -eq 0 ] && [ -n "$_dbc_cached" ]; then
                        "$_dbc_cache" store "$_dbc_python" "$_dbc_options" "$_dbc_compiler" "$@" >/dev/null 2>&1 || true
                    fi
                    return $_dbc_status
                }
                """.formatted(FUNCTION, processes, CACHE);
    }
}
