package io.dormant.adapters.deb.python;

/** A case where the shell of remove_bytecode would act otherwise than its Java emulation, so the script runs for real. */
final class BytecodeCleanupException extends Exception {

    BytecodeCleanupException(String message) {
        super(message);
    }
}
