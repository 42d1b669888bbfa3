package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebControl;
import io.dormant.adapters.deb.DebControlField;
import io.dormant.adapters.deb.DpkgStatus;
import io.dormant.adapters.deb.DpkgStatus.State;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What dpkg records in the status file between a trigger's activation and its processing, which a
 * script sees through dpkg-query (lib/dpkg/triglib.c, trignote.c, dbmodify.c): the interested
 * package's {@code Triggers-Pending} (newest first) and state {@code triggers-pending}; the
 * activating package's {@code Triggers-Awaited} (unless the interest or the activation is
 * noawait) and state {@code triggers-awaited} once it is configured, until every package it awaits
 * has had its triggers run. Packages are named as dpkg's trigger files name them: with the
 * architecture for a Multi-Arch: same package.
 */
final class TriggerStates {

    /** Interested package → its pending triggers, the newest first (dpkg prepends them). */
    private final Map<String, Deque<String>> pending = new HashMap<>();
    /** Activating package → the interested packages it awaits, the oldest first. */
    private final Map<String, Set<String>> awaited = new HashMap<>();
    /** Packages whose status paragraph no longer shows their trigger state. */
    private final Set<String> changed = new LinkedHashSet<>();

    /** dpkg's trig_note_pend and trig_note_aw, for an activation dpkg records ({@code awaiter} null for noawait). */
    void noted(String interested, String trigger, String awaiter) {
        Deque<String> triggers = pending.computeIfAbsent(interested, p -> new ArrayDeque<>());
        if (!triggers.contains(trigger)) {
            triggers.addFirst(trigger);
            changed.add(interested);
        }
        if (awaiter != null && awaited.computeIfAbsent(awaiter, a -> new LinkedHashSet<>()).add(interested)) {
            changed.add(awaiter);
        }
    }

    /**
     * The package's pending triggers are gone (its unpack or configure started, or its triggered
     * postinst is about to run): those that awaited it await it no longer (trig_clear_awaiters).
     */
    void dropped(String interested) {
        if (pending.remove(interested) != null) {
            changed.add(interested);
        }
        awaited.forEach((awaiter, pends) -> {
            if (pends.remove(interested)) {
                changed.add(awaiter);
            }
        });
    }

    /** The packages whose paragraphs need {@link #decorate} since the last call. */
    Set<String> takeChanged() {
        Set<String> out = new LinkedHashSet<>(changed);
        changed.clear();
        return out;
    }

    /** {@link #decorate(DebControl, String)} with the Config-Version dpkg reads from the paragraph. */
    DebControl decorate(DebControl paragraph) {
        return decorate(paragraph, null);
    }

    /**
     * The paragraph as dpkg writes it with the package's trigger state: a configured package is
     * triggers-awaited while it awaits a package, else triggers-pending while triggers of its own
     * are pending, else installed; {@code Config-Version} where dpkg writes it (not for installed,
     * triggers-pending or not-installed); the two trigger fields after Description, as dpkg orders them.
     *
     * @param configVersion the version dpkg configured last, "" for none; null for what dpkg reads
     *                      from the paragraph (its Config-Version, or its Version when configured).
     *                      dpkg does not update it when it configures a package, so a package that
     *                      awaits a trigger after its configure still shows the version before.
     */
    DebControl decorate(DebControl paragraph, String configVersion) {
        String label = labelOf(paragraph);
        DpkgStatus status = DpkgStatus.parse(paragraph.value("Status").orElseThrow());
        List<String> ownPending = List.copyOf(pending.getOrDefault(label, new ArrayDeque<>()));
        List<String> ownAwaited = List.copyOf(awaited.getOrDefault(label, Set.of()));
        State state = status.state();
        if (state.isConfigured()) {
            state = !ownAwaited.isEmpty() ? State.TRIGGERS_AWAITED : !ownPending.isEmpty() ? State.TRIGGERS_PENDING : State.INSTALLED;
        }
        String lastConfigured = configVersion != null ? configVersion : paragraph.value("Config-Version")
                .orElse(status.state().isConfigured() ? paragraph.value("Version").orElse("") : "");
        DebControl out = paragraph.without("Triggers-Pending").without("Triggers-Awaited").without("Config-Version");
        if (state != status.state()) {
            out = out.with("Status", new DpkgStatus(status.want(), status.flag(), state).format());
        }
        if (!lastConfigured.isEmpty() && state != State.INSTALLED && state != State.TRIGGERS_PENDING && state != State.NOT_INSTALLED) {
            out = DpkgDatabaseUpdater.withConfigVersion(out, lastConfigured);
        }
        List<DebControlField> fields = new ArrayList<>(out.fields());
        int at = fields.stream().filter(f -> f.is("Description")).findFirst().map(f -> fields.indexOf(f) + 1).orElse(fields.size());
        boolean pendingShown = !ownPending.isEmpty() && (state == State.TRIGGERS_PENDING || state == State.TRIGGERS_AWAITED);
        boolean awaitedShown = !ownAwaited.isEmpty() && state.compareTo(State.CONFIG_FILES) > 0
                && state.compareTo(State.TRIGGERS_AWAITED) <= 0;
        if (awaitedShown) {
            fields.add(at, DebControlField.of("Triggers-Awaited", String.join(" ", ownAwaited)));
        }
        if (pendingShown) {
            fields.add(at, DebControlField.of("Triggers-Pending", String.join(" ", ownPending)));
        }
        return new DebControl(fields);
    }

    /** How dpkg's trigger files name the package of a status paragraph. */
    static String labelOf(DebControl paragraph) {
        String name = paragraph.value("Package").orElseThrow();
        return paragraph.value("Multi-Arch").filter("same"::equals).isPresent()
                ? name + ":" + paragraph.value("Architecture").orElse("") : name;
    }
}
