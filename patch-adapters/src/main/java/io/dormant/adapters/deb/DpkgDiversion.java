package io.dormant.adapters.deb;

/**
 * One record of /var/lib/dpkg/diversions.
 *
 * @param from    the path packages ship
 * @param to      where the diverted file goes instead
 * @param owner   the package that diverts it, which still gets {@code from}; ":" for a local diversion
 */
public record DpkgDiversion(String from, String to, String owner) {

    public boolean isLocal() {
        return owner.equals(":");
    }
}
