package io.dormant.adapters.deb;

import java.util.List;
import java.util.Optional;

/** What an image's dpkg database says is there: one item per status entry, in file order. */
public record Inventory(List<Item> items) {

    public Inventory {
        items = List.copyOf(items);
    }

    /** One package as a campaign selects by it ("has openssl &lt; 3.0.22"). */
    public record Item(String name, DebianVersion version, String architecture, DpkgStatus status) {
    }

    /** The installed instances of {@code name} (several for Multi-Arch: same). */
    public List<Item> installed(String name) {
        return items.stream().filter(i -> i.name().equals(name) && i.status().isInstalled()).toList();
    }

    public Optional<Item> find(String name, String architecture) {
        return items.stream().filter(i -> i.name().equals(name) && i.architecture().equals(architecture)).findFirst();
    }
}
