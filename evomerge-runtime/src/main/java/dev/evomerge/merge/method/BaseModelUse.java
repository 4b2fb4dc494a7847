package dev.evomerge.merge.method;

/** How a merge method uses the config's {@code base_model}. */
public enum BaseModelUse {
    /** The method needs a base model: task vectors are taken against it, or it is slerp's t = 0 end. */
    REQUIRED,
    /** A base model is optional and changes the method: it works on differences to the base (nuslerp, multislerp). */
    OPTIONAL,
    /** The base model, if given, is merged like any other input (linear, karcher, passthrough). */
    INPUT
}
