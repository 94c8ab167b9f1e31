package org.panamacnn.cli;

/** A wrong command line: printed as one line, exit status 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
