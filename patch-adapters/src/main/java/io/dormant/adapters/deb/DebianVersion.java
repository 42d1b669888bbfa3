package io.dormant.adapters.deb;

/**
 * A Debian package version, {@code [epoch:]upstream[-revision]}, ordered exactly as dpkg orders it.
 *
 * <p>{@link #compareTo} is dpkg's order, while {@code equals} compares the parts as written. The two
 * disagree where dpkg sees no difference in the text: {@code 1.0}, {@code 1.0-0}, {@code 0:1.00}
 * compare as equal but are not {@code equals}, as with {@code BigDecimal}. Ask {@code compareTo} when
 * the question is "same version for dpkg?".
 *
 * <p>The record holds any version that dpkg accepts; {@link #parse} asks for more, Debian Policy's
 * syntax, and {@link #parseLenient} accepts what dpkg only warns about.
 *
 * @param epoch    0 when the version has none
 * @param upstream never empty
 * @param revision empty when the version has none
 */
public record DebianVersion(int epoch, String upstream, String revision) implements Comparable<DebianVersion> {

    public DebianVersion {
        DebianVersionSyntax.checkParts(epoch, upstream, revision);
    }

    /**
     * Reads a version as Debian Policy writes it: what dpkg refuses and what it warns about (an
     * upstream part that does not start with a digit, characters outside {@code A-Za-z0-9.+~-:})
     * are both rejected. Leading and trailing blanks are ignored, as dpkg ignores them.
     *
     * @throws DebianVersionSyntaxException naming the string and what is wrong with it
     */
    public static DebianVersion parse(String text) {
        return DebianVersionSyntax.parse(text, DebianVersionSyntax.Rules.POLICY);
    }

    /**
     * Reads a version as dpkg reads its own database: what dpkg only warns about is accepted,
     * because an image may already hold such a package and its inventory must still be readable.
     * Characters outside printable ASCII are still refused: dpkg orders them by the C compiler's
     * {@code char} signedness, so their order differs between machines.
     *
     * @throws DebianVersionSyntaxException naming the string and what is wrong with it
     */
    public static DebianVersion parseLenient(String text) {
        return DebianVersionSyntax.parse(text, DebianVersionSyntax.Rules.DPKG);
    }

    @Override
    public int compareTo(DebianVersion other) {
        return DebianVersionOrder.compare(this, other);
    }

    /**
     * The version as dpkg would print it. The epoch is written when it is not 0 and also whenever a
     * part holds a colon, because without it the colon would be read back as the epoch's.
     */
    @Override
    public String toString() {
        return DebianVersionSyntax.format(epoch, upstream, revision);
    }
}
