package io.jmanager.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a shared-object method that may wait on the daemon (like {@code Lock.lock()}), so the call
 * timeout does not apply to it. Methods that declare {@link InterruptedException} are treated so
 * without the annotation. The wait is parked on the daemon, never a daemon thread.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Blocking {}
