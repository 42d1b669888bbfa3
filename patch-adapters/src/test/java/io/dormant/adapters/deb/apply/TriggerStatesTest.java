package io.dormant.adapters.deb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.deb.DebControl;
import org.junit.jupiter.api.Test;

/**
 * The status paragraphs dpkg writes between a trigger's activation and its processing, as
 * {@code dpkg --root -i} left them in DpkgScriptOrderIT's run.
 */
class TriggerStatesTest {

    private static DebControl paragraph(String name, String state) throws Exception {
        return DebControl.parse("Package: " + name + "\nStatus: install ok " + state + "\nArchitecture: all\nVersion: 1\n"
                + "Description: test\nHomepage: https://example.invalid/\n", name);
    }

    @Test
    void theInterestedPackageIsTriggersPendingWithItsTriggersNewestFirstBeforeTheArbitraryFields() throws Exception {
        TriggerStates states = new TriggerStates();
        states.noted("t", "/usr/share/t", "u");
        states.noted("t", "/usr/share/t2", "u");
        states.noted("t", "/usr/share/t", "v");

        assertThat(states.decorate(paragraph("t", "installed")).format()).isEqualTo("Package: t\n"
                + "Status: install ok triggers-pending\nArchitecture: all\nVersion: 1\nDescription: test\n"
                + "Triggers-Pending: /usr/share/t2 /usr/share/t\nHomepage: https://example.invalid/\n");
        assertThat(states.takeChanged()).containsExactly("t", "u", "v");
    }

    @Test
    void theActivatingPackageAwaitsFromItsUnpackAndIsTriggersAwaitedOnceConfigured() throws Exception {
        TriggerStates states = new TriggerStates();
        states.noted("t", "/usr/share/t", "u");

        assertThat(states.decorate(paragraph("u", "unpacked")).value("Triggers-Awaited")).hasValue("t");
        assertThat(states.decorate(paragraph("u", "unpacked")).value("Status")).hasValue("install ok unpacked");
        DebControl configured = states.decorate(paragraph("u", "installed"));
        assertThat(configured.value("Status")).hasValue("install ok triggers-awaited");
        assertThat(configured.value("Config-Version")).as("dpkg writes it for triggers-awaited").hasValue("1");
    }

    @Test
    void aPackageConfiguredInTheRunAwaitsWithTheConfigVersionItHadBefore() throws Exception {
        TriggerStates states = new TriggerStates();
        states.noted("t", "/usr/share/t", "u");

        assertThat(states.decorate(paragraph("u", "installed"), "0.9").value("Config-Version")).hasValue("0.9");
        assertThat(states.decorate(paragraph("u", "installed"), "").has("Config-Version")).as("new to the image").isFalse();
        assertThat(states.decorate(paragraph("t", "installed"), "0.9").has("Config-Version")).as("triggers-pending").isFalse();
    }

    @Test
    void processingTheTriggersReleasesTheAwaitingPackages() throws Exception {
        TriggerStates states = new TriggerStates();
        states.noted("t", "/usr/share/t", "u");
        DebControl awaiting = states.decorate(paragraph("u", "installed"));
        states.takeChanged();

        states.dropped("t");

        assertThat(states.takeChanged()).containsExactly("t", "u");
        assertThat(states.decorate(awaiting).format()).isEqualTo(paragraph("u", "installed").format());
        assertThat(states.decorate(paragraph("t", "half-configured")).has("Triggers-Pending")).isFalse();
    }

    @Test
    void aNoawaitActivationLeavesTheActivatorAlone() throws Exception {
        TriggerStates states = new TriggerStates();
        states.noted("libc-bin", "ldconfig", null);

        assertThat(states.decorate(paragraph("u", "installed")).format()).isEqualTo(paragraph("u", "installed").format());
        assertThat(states.decorate(paragraph("libc-bin", "installed")).value("Status")).hasValue("install ok triggers-pending");
    }
}
