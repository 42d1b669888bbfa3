package io.dormant.adapters.confine;

import java.nio.file.Path;

/** A host file bound into the sandbox at an image path (canonical, so bubblewrap follows no image symlink). */
record SandboxBind(Path source, String target, boolean writable) {

    static SandboxBind readOnly(Path source, String target) {
        return new SandboxBind(source, target, false);
    }

    static SandboxBind writable(Path source, String target) {
        return new SandboxBind(source, target, true);
    }
}
