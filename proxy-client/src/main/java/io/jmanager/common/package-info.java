/**
 * What the client and the daemon agree on besides the wire: the built-in type table ({@link
 * io.jmanager.common.BuiltinTypes}), the daemon's own service interface ({@link
 * io.jmanager.common.ManagerService}) and where authkeys come from ({@link
 * io.jmanager.common.Authkeys}). Both sides compile against this package; neither side's
 * implementation lives here.
 */
package io.jmanager.common;
