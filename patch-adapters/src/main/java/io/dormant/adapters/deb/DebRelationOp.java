package io.dormant.adapters.deb;

/** The version operators of a package relation, written as dpkg writes them back. */
public enum DebRelationOp {
    LT("<<"), LE("<="), EQ("="), GE(">="), GT(">>");

    private final String symbol;

    DebRelationOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** Whether a version that compares to the relation's version as {@code comparison} satisfies it. */
    public boolean accepts(int comparison) {
        return switch (this) {
            case LT -> comparison < 0;
            case LE -> comparison <= 0;
            case EQ -> comparison == 0;
            case GE -> comparison >= 0;
            case GT -> comparison > 0;
        };
    }
}
