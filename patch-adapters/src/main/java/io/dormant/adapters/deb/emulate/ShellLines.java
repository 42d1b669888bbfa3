package io.dormant.adapters.deb.emulate;

import java.util.ArrayList;
import java.util.List;

/**
 * A maintainer script as logical lines: continuation lines joined, surrounding blanks trimmed,
 * blank lines and whole-line comments dropped. Enough shell for the fixed shapes of debhelper's
 * snippets and the guards around them; anything richer is left to {@link ScriptReader} to refuse.
 */
final class ShellLines {

    private ShellLines() {
    }

    static List<String> of(String script) {
        List<String> lines = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : script.split("\n", -1)) {
            String line = raw.strip();
            if (pending.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            pending.append(line);
            if (line.endsWith("&&") || line.endsWith("||") || line.endsWith("|")) {
                pending.append(' ');
                continue;
            }
            lines.add(pending.toString().strip());
            pending.setLength(0);
        }
        if (!pending.isEmpty()) {
            lines.add(pending.toString().strip());
        }
        return lines;
    }

    /**
     * Splits a simple command into words the way the shell would for the quoting debhelper uses:
     * single and double quotes (no expansion inside them is allowed, see {@link #isLiteral}) and
     * backslash escapes outside quotes.
     */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < command.length() && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                    word.append(command.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < command.length()) {
                word.append(command.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated quote in: " + command);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** True when the text has no expansion, substitution, redirection or list operator of its own. */
    static boolean isLiteral(String text) {
        return text.chars().noneMatch(c -> "$`;&|<>(){}*?[]".indexOf(c) >= 0);
    }
}
