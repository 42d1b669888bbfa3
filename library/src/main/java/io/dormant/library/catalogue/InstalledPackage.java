package io.dormant.library.catalogue;

/** One package installed in a version, as the image's own package database says. */
public record InstalledPackage(String format, String name, String version, String architecture, String status) {
}
