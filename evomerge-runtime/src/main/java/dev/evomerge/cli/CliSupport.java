package dev.evomerge.cli;

import dev.evomerge.diag.InputException;
import dev.evomerge.model.ModelReference;

/** Small argument conversions shared by the commands. */
final class CliSupport {

    private CliSupport() {
    }

    /** A model reference from the command line, with a user error for a malformed one. */
    static ModelReference parseReference(String text) {
        try {
            return ModelReference.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), "write PATH, ORG/NAME or ORG/NAME@REVISION");
        }
    }
}
