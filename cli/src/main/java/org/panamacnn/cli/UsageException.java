package org.panamacnn.cli;

/** A wrong command line: printed as one line "panama-cnn: MESSAGE", exit status 2. */
public final class UsageException extends RuntimeException {
    /** @param message what was wrong, naming the option or argument */
    public UsageException(String message) {
        super(message);
    }
}
