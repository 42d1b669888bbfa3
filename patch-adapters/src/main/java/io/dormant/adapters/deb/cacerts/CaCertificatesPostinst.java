package io.dormant.adapters.deb.cacerts;

import io.dormant.adapters.deb.emulate.EmulatedAction;
import io.dormant.adapters.deb.emulate.ScriptCall;
import io.dormant.adapters.deb.emulate.ScriptEmulation;
import io.dormant.adapters.deb.emulate.ScriptShape;
import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The postinst of ca-certificates, recognised by its shape and emulated as a whole: the generic
 * {@code ScriptReader} cannot follow its loops and here-document, and running it costs seconds of
 * grep/sed/tr per certificate. {@code triggered} runs {@link UpdateCaCertificates} once per
 * activated trigger; {@code configure} is {@link CaCertificatesConfigure}. The tool itself must
 * have a known shape too, since it is the image's own update-ca-certificates that would run.
 */
public final class CaCertificatesPostinst {

    /** ca-certificates 20230311 to 20250419 (bookworm, trixie): the same postinst. */
    private static final Set<String> POSTINST_SHAPES = Set.of(
            "fdb457faa5b7e30c3bdd385ec994e2cea84ee14fd04ec7ef6be7f3ce964be0c1");
    /** update-ca-certificates of 20230311 and of 20250419 (which adds --sysroot and read -r). */
    private static final Set<String> TOOL_SHAPES = Set.of(
            "998ab5b1115b4f6c52f00ca0cfb833ae34a54a0e12e557638b554c3066a8f81e",
            "0fc40bd20e49b311ae53b526f63c2f3b41aceb15876b2c59e72db3bd0feac6f4");
    static final String TOOL = "/usr/sbin/update-ca-certificates";
    /** The action kinds the policy is asked about: the certificate store is ca-certificates' trigger. */
    static final String TRIGGER = "trigger";

    private CaCertificatesPostinst() {
    }

    /** Empty when the script is not ca-certificates' postinst; otherwise its emulation or why there is none. */
    public static Optional<ScriptEmulation> emulation(RootedFiles image, byte[] script, ScriptCall call) throws IOException {
        if (!call.packageName().equals("ca-certificates") || !call.scriptName().equals("postinst")
                || !POSTINST_SHAPES.contains(ScriptShape.of(new String(script, StandardCharsets.UTF_8)))) {
            return Optional.empty();
        }
        try {
            requireKnownTool(image);
            List<String> args = call.args();
            String action = args.isEmpty() ? "" : args.get(0);
            return Optional.of(switch (action) {
                case "triggered" -> new ScriptEmulation(triggered(image, args.size() > 1 ? args.get(1) : ""), null);
                case "configure" -> new ScriptEmulation(CaCertificatesConfigure.actions(image, args.size() > 1 ? args.get(1) : ""), null);
                case "abort-upgrade", "abort-remove", "abort-deconfigure" -> new ScriptEmulation(List.of(), null);
                default -> throw new CertificateFormatException("the postinst fails for " + action);
            });
        } catch (CertificateFormatException e) {
            return Optional.of(new ScriptEmulation(List.of(), "ca-certificates: " + e.getMessage()));
        }
    }

    /** {@code for trigger in $2}: each activated trigger runs the tool, with --fresh for the -fresh one. */
    private static List<EmulatedAction> triggered(RootedFiles image, String triggers) throws IOException, CertificateFormatException {
        List<EmulatedAction> actions = new ArrayList<>();
        for (String trigger : triggers.trim().split("[ \t\n]+")) {
            if (trigger.isEmpty()) {
                continue;
            }
            boolean fresh = switch (trigger) {
                case "update-ca-certificates" -> false;
                case "update-ca-certificates-fresh" -> true;
                default -> throw new CertificateFormatException("the postinst fails for trigger " + trigger);
            };
            UpdateCaCertificates tool = new UpdateCaCertificates(image, fresh, true);
            actions.add(toolRun(tool, fresh, true, confBytes(image)));
            if (tool.runsJavaHook()) {
                if (actions.size() > 1) {
                    // a second dpkg-trigger call merges into Unincorp, which is not followed here
                    throw new CertificateFormatException("two tool runs would each run the Java keystore hook");
                }
                actions.add(DpkgTriggerNoAwait.action(image, UpdateCaCertificates.JAVA_TRIGGER));
            }
        }
        return actions;
    }

    /** One run of the tool, checked now against the configuration it will read, performed later. */
    static EmulatedAction toolRun(RootedFiles image, boolean fresh, boolean hooks, byte[] conf)
            throws IOException, CertificateFormatException {
        return toolRun(new UpdateCaCertificates(image, fresh, hooks), fresh, hooks, conf);
    }

    private static EmulatedAction toolRun(UpdateCaCertificates tool, boolean fresh, boolean hooks, byte[] conf)
            throws IOException, CertificateFormatException {
        tool.check(conf);
        String line = "update-ca-certificates" + (hooks ? "" : " --hooksdir \"\"") + (fresh ? " --fresh" : "");
        // The effect runs on the tree the check read (the emulate tier hands it the same one).
        return new EmulatedAction(TRIGGER, line, tree -> {
            try {
                tool.run();
            } catch (CertificateFormatException e) {
                throw new IOException(line + ": " + e.getMessage(), e);
            }
        });
    }

    static byte[] confBytes(RootedFiles image) throws IOException {
        Path conf = image.resolve(UpdateCaCertificates.CONF, true);
        return Files.isRegularFile(conf) ? Files.readAllBytes(conf) : new byte[0];
    }

    private static void requireKnownTool(RootedFiles image) throws IOException, CertificateFormatException {
        Path tool = image.resolve(TOOL, true);
        if (!Files.isRegularFile(tool)
                || !TOOL_SHAPES.contains(ScriptShape.of(new String(Files.readAllBytes(tool), StandardCharsets.UTF_8)))) {
            throw new CertificateFormatException(TOOL + " is not a version whose logic Dormant reproduces");
        }
    }
}
