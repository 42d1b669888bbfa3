package io.dormant.adapters.deb;

/**
 * One line of a package's triggers file (deb-triggers(5)).
 *
 * @param kind    what the package declares
 * @param trigger a file trigger's absolute path, or an explicit trigger's name
 */
public record DebTriggerDirective(Kind kind, String trigger) {

    /** The directives dpkg knows; plain interest and activate await, as the -await forms do. */
    public enum Kind {
        INTEREST("interest", true), INTEREST_AWAIT("interest-await", true), INTEREST_NOAWAIT("interest-noawait", false),
        ACTIVATE("activate", true), ACTIVATE_AWAIT("activate-await", true), ACTIVATE_NOAWAIT("activate-noawait", false);

        private final String keyword;
        private final boolean awaits;

        Kind(String keyword, boolean awaits) {
            this.keyword = keyword;
            this.awaits = awaits;
        }

        public String keyword() {
            return keyword;
        }

        /** Whether the activating package waits in triggers-awaited until the trigger is processed. */
        public boolean awaits() {
            return awaits;
        }

        public boolean isInterest() {
            return this == INTEREST || this == INTEREST_AWAIT || this == INTEREST_NOAWAIT;
        }

        static Kind of(String keyword) {
            for (Kind k : values()) {
                if (k.keyword.equals(keyword)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** A file trigger names an absolute path; an explicit trigger a name. */
    public boolean isFileTrigger() {
        return trigger.startsWith("/");
    }
}
