package io.dormant.adapters.policy;

/**
 * Which tier takes an install-time action. Policy, not code: the engine answers from the DMN table
 * {@code action-policy.dmn}, which admins can change.
 */
@FunctionalInterface
public interface ActionPolicy {

    /** Kinds of action the adapters ask about. */
    String SERVICE_START = "service-start";
    String SERVICE_RESTART = "service-restart";
    /** {@code dpkg-maintscript-helper}: conffile and symlink/directory switches across upgrades. */
    String MAINTSCRIPT_HELPER = "maintscript-helper";
    /** {@code ucf} and {@code ucfr}: a configuration file managed outside dpkg's conffiles, and its owner. */
    String UCF = "ucf";
    /** {@code phpenmod} and {@code phpdismod}: a PHP module's link in a SAPI's conf.d, and who made it. */
    String PHP_MODULE = "php-module";
    /** A chmod of one named path to a fixed mode. */
    String FILE_MODE = "file-mode";
    /** Removing a Python package's compiled bytecode and the {@code __pycache__} directories it leaves empty. */
    String BYTECODE_CLEANUP = "bytecode-cleanup";
    /** A whole maintainer script whose commands are not (yet) analysed one by one. */
    String UNKNOWN_COMMAND = "unknown-command";

    ActionTier tierFor(String actionKind, String format, boolean sandboxAvailable);
}
