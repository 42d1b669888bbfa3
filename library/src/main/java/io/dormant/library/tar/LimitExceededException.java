package io.dormant.library.tar;

/** An entry declares more than a limit allows; checked before anything is allocated or read. */
public final class LimitExceededException extends TarFormatException {
    private final long limit;

    public LimitExceededException(String entry, long offset, String what, long declared, long limit) {
        super(entry, offset, what + " of " + declared + " bytes is more than the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
