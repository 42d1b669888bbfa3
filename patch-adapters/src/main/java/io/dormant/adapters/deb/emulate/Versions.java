package io.dormant.adapters.deb.emulate;

import io.dormant.adapters.deb.DebianVersion;

/** {@code dpkg --compare-versions} for the operators maintainer scripts use. */
final class Versions {

    private Versions() {
    }

    /** The answer, or null for an operator or version this does not know (then the script is not emulated). */
    static Boolean compare(String left, String operator, String right) {
        boolean nl = operator.endsWith("-nl");
        String op = nl ? operator.substring(0, operator.length() - 3) : operator;
        int order;
        if (left.isEmpty() || right.isEmpty()) {
            // dpkg: an empty version is earlier than any other, or later with the -nl operators.
            if (left.isEmpty() && right.isEmpty()) {
                order = 0;
            } else {
                order = (left.isEmpty() ? -1 : 1) * (nl ? -1 : 1);
            }
        } else {
            try {
                order = Integer.signum(DebianVersion.parse(left).compareTo(DebianVersion.parse(right)));
            } catch (RuntimeException e) {
                return null;
            }
        }
        return switch (op) {
            case "lt", "<<" -> order < 0;
            case "le", "<=" -> order <= 0;
            case "eq", "=" -> order == 0;
            case "ne" -> order != 0;
            case "ge", ">=" -> order >= 0;
            case "gt", ">>" -> order > 0;
            default -> null;
        };
    }
}
