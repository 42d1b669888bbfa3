package io.dormant.adapters.deb.emulate;

import java.util.List;

/** One call of a maintainer script: whose, which ({@code preinst}, {@code postinst}, …) and its arguments. */
public record ScriptCall(String packageName, String scriptName, List<String> args) {

    public ScriptCall {
        args = List.copyOf(args);
    }

    /** {@code $1}, {@code $2}, …; empty when not given, as in the shell. */
    String arg(int n) {
        return n >= 1 && n <= args.size() ? args.get(n - 1) : "";
    }

    String describe() {
        return scriptName + " " + String.join(" ", args);
    }
}
