package io.affnet.web.auth;

import io.affnet.api.common.Role;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The roles that may call an API route. Every {@code /api/**} handler must declare it (on the method,
 * or on its controller class): {@link AccessInterceptor} refuses a route without it, so a new route
 * is closed until someone decides who may use it. Which objects a permitted role then sees is the
 * handler's tenant-filtered query (and, for affiliates and advertisers, their own id).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Access {

    Role[] value();
}
