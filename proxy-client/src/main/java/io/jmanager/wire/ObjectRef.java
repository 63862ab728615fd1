package io.jmanager.wire;

/**
 * A shared object as a value: what a proxy becomes on the wire. The reading side turns it back into
 * a live proxy (client) or the named object (daemon).
 */
public record ObjectRef(String typeid, String name) {}
