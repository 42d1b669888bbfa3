package io.dormant.library.catalogue;

/** Why a version exists; stored as the lower-case word. */
public enum VersionReason {
    IMPORT, PATCH, SANDBOX, ROLLBACK;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static VersionReason ofWord(String word) {
        return valueOf(word.toUpperCase(java.util.Locale.ROOT));
    }
}
