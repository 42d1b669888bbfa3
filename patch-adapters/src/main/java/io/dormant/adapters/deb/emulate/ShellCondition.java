package io.dormant.adapters.deb.emulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides, without running anything, an {@code if} condition of a maintainer script for one call,
 * where it can: tests of the script's arguments ({@code [ "$1" = configure ]}, {@code [ -n "$2" ]}),
 * of {@code DPKG_ROOT} (empty: Dormant applies to the image as its root) and
 * {@code dpkg --compare-versions} on them. Other tests ({@code [ -d /run/systemd/system ]}) have no
 * side effects and are unknown; any other command would run, so a condition that reaches one is
 * not decided. {@code &&} and {@code ||} fold left, as in the shell.
 */
final class ShellCondition {

    enum Value { TRUE, FALSE, UNKNOWN }

    /** Commands that only read the image, answered from it (see {@code ActionCatalogue.query}). */
    @FunctionalInterface
    interface Queries {
        Optional<Boolean> query(String command) throws java.io.IOException;
    }

    private ShellCondition() {
    }

    /** The value, or empty when deciding it would mean running a command. */
    static Optional<Value> decide(String condition, ScriptCall call, Queries queries) throws java.io.IOException {
        List<String> parts = new ArrayList<>();
        List<String> operators = new ArrayList<>();
        split(condition, parts, operators);
        Optional<Value> value = test(parts.get(0), call, queries);
        for (int i = 0; i < operators.size(); i++) {
            if (value.isEmpty()) {
                return value;
            }
            boolean and = operators.get(i).equals("&&");
            Value left = value.get();
            if ((and && left == Value.FALSE) || (!and && left == Value.TRUE)) {
                continue;
            }
            Optional<Value> right = test(parts.get(i + 1), call, queries);
            if (right.isEmpty()) {
                return right;
            }
            value = Optional.of(and ? and(left, right.get()) : or(left, right.get()));
        }
        return value;
    }

    private static Value and(Value left, Value right) {
        if (left == Value.FALSE || right == Value.FALSE) {
            return Value.FALSE;
        }
        return left == Value.TRUE && right == Value.TRUE ? Value.TRUE : Value.UNKNOWN;
    }

    private static Value or(Value left, Value right) {
        if (left == Value.TRUE || right == Value.TRUE) {
            return Value.TRUE;
        }
        return left == Value.FALSE && right == Value.FALSE ? Value.FALSE : Value.UNKNOWN;
    }

    private static void split(String condition, List<String> parts, List<String> operators) {
        StringBuilder part = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < condition.length(); i++) {
            char c = condition.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if ((c == '&' || c == '|') && i + 1 < condition.length() && condition.charAt(i + 1) == c) {
                parts.add(part.toString().strip());
                operators.add(c == '&' ? "&&" : "||");
                part.setLength(0);
                i++;
                continue;
            }
            part.append(c);
        }
        parts.add(part.toString().strip());
    }

    private static Optional<Value> test(String command, ScriptCall call, Queries queries) throws java.io.IOException {
        Optional<Boolean> answered = queries.query(command);
        if (answered.isPresent()) {
            return Optional.of(answered.get() ? Value.TRUE : Value.FALSE);
        }
        List<String> words;
        try {
            words = ShellLines.words(command.replace("${DPKG_ROOT:-}", "").replace("$DPKG_ROOT", ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (words.isEmpty() || command.contains("|") && !command.contains("||") || command.contains("$(")
                || command.contains("`") || command.contains(">") || command.contains("<")) {
            return Optional.empty();
        }
        if (words.get(0).equals("[") && words.get(words.size() - 1).equals("]")) {
            return Optional.of(bracket(words.subList(1, words.size() - 1), call));
        }
        if (words.get(0).equals("dpkg") && words.size() >= 5 && words.get(1).equals("--compare-versions")) {
            List<String> operands = words.subList(words.get(2).equals("--") ? 3 : 2, words.size());
            return operands.size() == 3 ? Optional.of(compareVersions(operands, call)) : Optional.empty();
        }
        return Optional.empty();
    }

    private static Value bracket(List<String> words, ScriptCall call) {
        if (words.size() == 3 && (words.get(1).equals("=") || words.get(1).equals("!="))) {
            Optional<String> left = argument(words.get(0), call);
            Optional<String> right = argument(words.get(2), call);
            if (left.isEmpty() || right.isEmpty()) {
                return Value.UNKNOWN;
            }
            return left.get().equals(right.get()) == words.get(1).equals("=") ? Value.TRUE : Value.FALSE;
        }
        if (words.size() == 2 && (words.get(0).equals("-n") || words.get(0).equals("-z"))) {
            Optional<String> operand = argument(words.get(1), call);
            if (operand.isEmpty()) {
                return Value.UNKNOWN;
            }
            return operand.get().isEmpty() == words.get(0).equals("-z") ? Value.TRUE : Value.FALSE;
        }
        return Value.UNKNOWN;
    }

    /** A word whose value is known: a literal, or {@code $1}…{@code $9}; DPKG_ROOT was already emptied. */
    private static Optional<String> argument(String word, ScriptCall call) {
        if (word.matches("\\$[1-9]")) {
            return Optional.of(call.arg(word.charAt(1) - '0'));
        }
        return word.contains("$") ? Optional.empty() : Optional.of(word);
    }

    private static Value compareVersions(List<String> operands, ScriptCall call) {
        Optional<String> left = argument(operands.get(0), call);
        Optional<String> right = argument(operands.get(2), call);
        if (left.isEmpty() || right.isEmpty()) {
            return Value.UNKNOWN;
        }
        Boolean result = Versions.compare(left.get(), operands.get(1), right.get());
        return result == null ? Value.UNKNOWN : result ? Value.TRUE : Value.FALSE;
    }
}
