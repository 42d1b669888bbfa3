package io.dormant.adapters.deb.emulate;

import io.dormant.adapters.deb.cacerts.CaCertificatesPostinst;
import io.dormant.adapters.deb.python.PythonPrerm;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a maintainer script for one call and says whether every part that would run is in the
 * action catalogue: the shebang and {@code set -e}, {@code if} blocks whose condition rules them
 * out for these arguments (debhelper guards most of its snippets with {@code [ "$1" = … ]}),
 * {@code case "$1"} branches, function definitions (inert unless called, and a call is unknown),
 * and the commands of {@link ActionCatalogue}. Anything else, including every here-document,
 * makes the script unknown, so it runs confined as before.
 */
public final class ScriptReader {

    private static final Pattern FUNCTION = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*\\s*\\(\\)\\s*\\{?$");
    private static final Pattern SHEBANG = Pattern.compile("^#!\\s*/bin/(ba)?sh(\\s+-e)?\\s*$");

    private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=([A-Za-z0-9_./:+~-]*)$");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)\\}?");

    private final RootedFiles image;
    private final ActionCatalogue catalogue;
    /** Variables the script set to literals so far (debhelper's {@code _dh_action=restart}); one read at a time. */
    private final java.util.Map<String, String> variables = new java.util.HashMap<>();
    /** Set by {@code exit 0}: nothing after it runs. */
    private boolean exited;

    public ScriptReader(RootedFiles image) {
        this.image = image;
        this.catalogue = new ActionCatalogue(image);
    }

    public ScriptEmulation read(byte[] script, ScriptCall call) throws IOException {
        // A script whose whole logic Dormant reproduces is emulated as a whole, not line by line.
        Optional<ScriptEmulation> whole = CaCertificatesPostinst.emulation(image, script, call);
        if (whole.isEmpty()) {
            whole = PythonPrerm.emulation(image, script, call);
        }
        if (whole.isEmpty()) {
            whole = io.dormant.adapters.deb.python.Py3cleanPrerm.emulation(image, script, call);
        }
        if (whole.isPresent()) {
            return whole.get();
        }
        String text = new String(script, StandardCharsets.UTF_8);
        String first = text.lines().findFirst().orElse("");
        if (!SHEBANG.matcher(first).matches()) {
            return ScriptEmulation.notKnown("the interpreter is not /bin/sh: " + first);
        }
        if (text.contains("<<")) {
            return ScriptEmulation.notKnown("a here-document");
        }
        List<EmulatedAction> actions = new ArrayList<>();
        variables.clear();
        exited = false;
        Optional<String> unknown = block(ShellLines.of(text), call, actions);
        return unknown.isPresent() ? ScriptEmulation.notKnown(unknown.get()) : ScriptEmulation.known(actions);
    }

    /** Reads a list of statements; returns the first unknown part, or empty when all are known. */
    private Optional<String> block(List<String> lines, ScriptCall call, List<EmulatedAction> actions) throws IOException {
        int i = 0;
        while (i < lines.size() && !exited) {
            String line = substituted(lines.get(i));
            java.util.regex.Matcher assignment = ASSIGNMENT.matcher(line);
            if (assignment.matches()) {
                variables.put(assignment.group(1), assignment.group(2));
                i++;
                continue;
            }
            if (line.startsWith("if ")) {
                int end = closing(lines, i, "if", "fi");
                if (end < 0) {
                    return Optional.of("an if without fi: " + line);
                }
                Optional<String> unknown = ifBlock(lines.subList(i, end + 1), call, actions);
                if (unknown.isPresent()) {
                    return unknown;
                }
                i = end + 1;
            } else if (line.matches("^case \"?\\$1\"? in$")) {
                int end = closing(lines, i, "case", "esac");
                if (end < 0) {
                    return Optional.of("a case without esac: " + line);
                }
                Optional<String> unknown = caseBlock(lines.subList(i + 1, end), call, actions);
                if (unknown.isPresent()) {
                    return unknown;
                }
                i = end + 1;
            } else if (FUNCTION.matcher(line).matches()) {
                int end = functionEnd(lines, i);
                if (end < 0) {
                    return Optional.of("a function without its closing brace: " + line);
                }
                i = end + 1;
            } else {
                Optional<String> unknown = command(line, call, actions);
                if (unknown.isPresent()) {
                    return unknown;
                }
                i++;
            }
        }
        return Optional.empty();
    }

    private String substituted(String line) {
        java.util.regex.Matcher variable = VARIABLE.matcher(line);
        StringBuilder text = new StringBuilder();
        while (variable.find()) {
            String value = variables.get(variable.group(1));
            variable.appendReplacement(text, java.util.regex.Matcher.quoteReplacement(value != null ? value : variable.group()));
        }
        variable.appendTail(text);
        return text.toString();
    }

    private Optional<String> command(String line, ScriptCall call, List<EmulatedAction> actions) throws IOException {
        if (line.equals("set -e") || line.equals(":") || line.equals("true")) {
            return Optional.empty();
        }
        if (line.equals("exit 0")) {
            exited = true;
            return Optional.empty();
        }
        Optional<List<EmulatedAction>> known = catalogue.actions(line, call);
        if (known.isEmpty()) {
            return Optional.of("a command outside the action catalogue: " + line);
        }
        actions.addAll(known.get());
        return Optional.empty();
    }

    private Optional<String> ifBlock(List<String> lines, ScriptCall call, List<EmulatedAction> actions) throws IOException {
        String head = substituted(lines.get(0)).substring(3).strip();
        int bodyStart = 1;
        if (head.endsWith("; then")) {
            head = head.substring(0, head.length() - "; then".length()).strip();
        } else if (head.endsWith(";then")) {
            head = head.substring(0, head.length() - ";then".length()).strip();
        } else if (lines.size() > 1 && lines.get(1).equals("then")) {
            bodyStart = 2;
        } else {
            return Optional.of("an if this reader does not follow: " + lines.get(0));
        }
        List<String> body = lines.subList(bodyStart, lines.size() - 1);
        int elseAt = -1;
        int depth = 0;
        for (int i = 0; i < body.size(); i++) {
            String line = body.get(i);
            depth += opens(line, "if") - (isClose(line, "fi") ? 1 : 0);
            if (depth == 0 && (line.equals("else") || line.startsWith("elif "))) {
                if (line.startsWith("elif ")) {
                    return Optional.of("an elif: " + line);
                }
                elseAt = i;
            }
        }
        Optional<ShellCondition.Value> value = ShellCondition.decide(head, call, catalogue::query);
        if (value.isEmpty() || value.get() == ShellCondition.Value.UNKNOWN) {
            return Optional.of("a condition that depends on the image: if " + head);
        }
        boolean taken = value.get() == ShellCondition.Value.TRUE;
        List<String> branch = taken ? (elseAt < 0 ? body : body.subList(0, elseAt))
                : (elseAt < 0 ? List.of() : body.subList(elseAt + 1, body.size()));
        return block(branch, call, actions);
    }

    private Optional<String> caseBlock(List<String> lines, ScriptCall call, List<EmulatedAction> actions) throws IOException {
        String arg = call.arg(1);
        int i = 0;
        while (i < lines.size()) {
            String label = lines.get(i);
            if (!label.endsWith(")") || !ShellLines.isLiteral(label.substring(0, label.length() - 1).replace("|", "")
                    .replace("*", "x"))) {
                return Optional.of("a case label this reader does not follow: " + label);
            }
            int end = i + 1;
            int depth = 0;
            while (end < lines.size() && !(depth == 0 && lines.get(end).equals(";;"))) {
                depth += opens(lines.get(end), "case") - (isClose(lines.get(end), "esac") ? 1 : 0);
                if (depth == 0 && lines.get(end).endsWith(")") && !lines.get(end).contains("(")
                        && !lines.get(end).startsWith("if ")) {
                    break; // the last branch may end at esac without ;;
                }
                end++;
            }
            List<String> body = lines.subList(i + 1, end);
            for (String pattern : label.substring(0, label.length() - 1).split("\\|")) {
                pattern = pattern.strip();
                if (pattern.equals("*") || pattern.equals(arg)) {
                    return block(body, call, actions);
                }
                if (pattern.contains("*") || pattern.contains("?")) {
                    return Optional.of("a case pattern this reader does not match: " + pattern);
                }
            }
            i = end < lines.size() && lines.get(end).equals(";;") ? end + 1 : end;
        }
        return Optional.empty();
    }

    private static int closing(List<String> lines, int from, String open, String close) {
        int depth = 0;
        for (int i = from; i < lines.size(); i++) {
            depth += opens(lines.get(i), open);
            if (isClose(lines.get(i), close)) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int opens(String line, String keyword) {
        return line.startsWith(keyword + " ") ? 1 : 0;
    }

    private static boolean isClose(String line, String keyword) {
        return line.equals(keyword) || line.startsWith(keyword + ";") || line.startsWith(keyword + " ");
    }

    private static int functionEnd(List<String> lines, int from) {
        int start = lines.get(from).endsWith("{") ? from + 1 : from + 2;
        if (!lines.get(from).endsWith("{") && (from + 1 >= lines.size() || !lines.get(from + 1).equals("{"))) {
            return -1;
        }
        for (int i = start; i < lines.size(); i++) {
            if (lines.get(i).equals("}")) {
                return i;
            }
        }
        return -1;
    }
}
