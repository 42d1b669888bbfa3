package io.dormant.adapters.deb;

import java.util.ArrayList;
import java.util.List;

/**
 * dpkg's relation syntax: {@code name[:arch] [(op version)]}, alternatives with '|', groups with
 * ','. Architecture restrictions {@code [amd64]} and build profiles {@code <!nocheck>} belong to
 * source packages; dpkg refuses them in a binary package, and so does this.
 */
final class DebRelationParser {

    private final String field;
    private final String text;
    private int pos;

    DebRelationParser(String field, String text) {
        this.field = field;
        this.text = text;
    }

    DebRelations parse() {
        List<DebRelationGroup> groups = new ArrayList<>();
        skipBlanks();
        if (pos == text.length()) {
            return DebRelations.NONE;
        }
        while (true) {
            List<DebRelation> alternatives = new ArrayList<>();
            while (true) {
                DebRelation relation = relation();
                alternatives.add(relation);
                if (pos == text.length() || text.charAt(pos) == ',') {
                    break;
                }
                if (text.charAt(pos) == '[' || text.charAt(pos) == '<') {
                    throw error("reference to '" + relation.name() + "': architecture restrictions and build profiles"
                            + " ('" + text.charAt(pos) + "...') are only valid in source packages");
                }
                if (text.charAt(pos) != '|') {
                    throw error("invalid syntax after reference to package '" + relation.name() + "'");
                }
                if (noAlternatives()) {
                    throw error("alternatives ('|') not allowed");
                }
                pos++;
                skipBlanks();
            }
            groups.add(new DebRelationGroup(alternatives));
            if (pos == text.length()) {
                return new DebRelations(groups);
            }
            pos++;
            skipBlanks();
        }
    }

    private DebRelation relation() {
        int start = pos;
        while (pos < text.length() && !isBlank(text.charAt(pos)) && ":(,|".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        String name = text.substring(start, pos);
        if (name.isEmpty()) {
            throw error("missing package name, or garbage where package name expected");
        }
        checkName(field, name);
        String arch = null;
        if (pos < text.length() && text.charAt(pos) == ':') {
            start = ++pos;
            while (pos < text.length() && !isBlank(text.charAt(pos)) && "(,|".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            arch = text.substring(start, pos);
            if (arch.isEmpty()) {
                throw error("missing architecture name, or garbage where architecture name expected");
            }
            checkArchitecture(name, arch);
        }
        skipBlanks();
        if (pos == text.length() || text.charAt(pos) != '(') {
            return new DebRelation(name, arch, null, null);
        }
        pos++;
        skipBlanks();
        DebRelationOp op = operator(name);
        skipBlanks();
        start = pos;
        while (pos < text.length() && !isBlank(text.charAt(pos)) && text.charAt(pos) != ')' && text.charAt(pos) != '(') {
            pos++;
        }
        String version = text.substring(start, pos);
        skipBlanks();
        if (pos == text.length()) {
            throw error("reference to '" + name + "': version unterminated");
        }
        if (text.charAt(pos) != ')') {
            throw error("reference to '" + name + "': version contains '" + text.charAt(pos) + "' instead of ')'");
        }
        pos++;
        skipBlanks();
        DebianVersion parsed;
        try {
            parsed = DebianVersion.parseLenient(version);
        } catch (DebianVersionSyntaxException e) {
            throw error("reference to '" + name + "': " + e.getMessage());
        }
        return new DebRelation(name, arch, op, parsed);
    }

    /** dpkg reads a lone '<' as '<=' and '>' as '>=' (obsolete, with a warning), and no operator as '='. */
    private DebRelationOp operator(String name) {
        char c1 = pos < text.length() ? text.charAt(pos) : 0;
        DebRelationOp op;
        if (c1 == '<' || c1 == '>') {
            char c2 = ++pos < text.length() ? text.charAt(pos) : 0;
            if (c2 == '=' || c2 == c1) {
                pos++;
                op = c2 == '=' ? (c1 == '<' ? DebRelationOp.LE : DebRelationOp.GE) : (c1 == '<' ? DebRelationOp.LT : DebRelationOp.GT);
            } else if (c2 == '<' || c2 == '>') {
                throw error("reference to '" + name + "': bad version relationship " + c1 + c2);
            } else {
                op = c1 == '<' ? DebRelationOp.LE : DebRelationOp.GE;
            }
        } else {
            if (c1 == '=') {
                pos++;
            }
            op = DebRelationOp.EQ;
        }
        if (op != DebRelationOp.EQ && field.equalsIgnoreCase("Provides")) {
            throw error("only exact versions may be used for 'Provides' field");
        }
        return op;
    }

    private boolean noAlternatives() {
        return field.equalsIgnoreCase("Conflicts") || field.equalsIgnoreCase("Breaks")
                || field.equalsIgnoreCase("Replaces") || field.equalsIgnoreCase("Provides");
    }

    /** dpkg's pkg_name_is_invalid: an ASCII alphanumeric first, then those and "-+._". */
    static void checkName(String field, String name) {
        if (name.charAt(0) > 0x7f || !Character.isLetterOrDigit(name.charAt(0))) {
            throw new IllegalArgumentException("'" + field + "' field, invalid package name '" + name
                    + "': must start with an alphanumeric character");
        }
        for (char c : name.toCharArray()) {
            if (c > 0x7f || (!Character.isLetterOrDigit(c) && "-+._".indexOf(c) < 0)) {
                throw new IllegalArgumentException("'" + field + "' field, invalid package name '" + name + "': character '"
                        + c + "' not allowed (only letters, digits and characters '-+._')");
            }
        }
    }

    /** dpkg_arch_name_is_invalid: an alphanumeric first, then alphanumerics and '-'. */
    private void checkArchitecture(String name, String arch) {
        boolean valid = arch.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '-'))
                && Character.isLetterOrDigit(arch.charAt(0));
        if (!valid) {
            throw error("reference to '" + name + "': invalid architecture name '" + arch + "'");
        }
    }

    private void skipBlanks() {
        while (pos < text.length() && isBlank(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("'" + field + "' field, " + problem);
    }
}
