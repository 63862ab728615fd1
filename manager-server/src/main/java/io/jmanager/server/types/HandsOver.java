package io.jmanager.server.types;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an {@link ItemSource} whose result takes items out of it and hands them to the
 * caller ({@code take}, {@code poll}, {@code drain}). The daemon keeps such items as unconfirmed
 * until the caller's client proves it has read the reply, and gives them back with {@link
 * ItemSource#giveBack} if it never does (its connection closed first): at-least-once delivery. A
 * null result hands nothing over.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface HandsOver {
  /** {@return whether the result is a {@code List} of items (oldest first) rather than one item} */
  boolean list() default false;
}
