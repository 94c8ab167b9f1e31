package org.panamacnn.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One line for an I/O failure that names the file and the problem. The JDK's file-system
 * exceptions carry them in separate fields, and some carry only the path ("/data/x" for a missing
 * file) or only the reason ("No space left on device"); printed bare, neither says what happened
 * to what.
 */
public final class IoErrors {
    private IoErrors() {}

    /** "FILE: problem" for a file-system exception, else the message (or the exception's kind if it has none). */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + reason(e);
        }
        return e.getMessage() != null ? e.getMessage() : reason(e);
    }

    /** The problem alone, without the file: "permission denied", "No space left on device", ... */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) return f.getReason();
            return switch (f) {
                case NoSuchFileException x -> "no such file or directory";
                case AccessDeniedException x -> "permission denied";
                case FileAlreadyExistsException x -> "already exists";
                case NotDirectoryException x -> "not a directory";
                case DirectoryNotEmptyException x -> "directory not empty";
                default -> "file system error (" + f.getClass().getSimpleName() + ")";
            };
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
