package io.affnet.web.auth;

import io.affnet.api.common.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Arrays;

/**
 * The one place where API routes are authorised by role, before any handler runs: the caller's role
 * (from its key) must be among the route's {@link Access} roles. Routes under {@code /api/} without
 * the annotation are refused for everyone (default deny).
 */
public class AccessInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/api/")) {
            return true;
        }
        Access access = required(method);
        if (access == null) {
            throw new ForbiddenException("This route declares no access rule, so nobody may use it.");
        }
        Object caller = request.getAttribute(Caller.REQUEST_ATTRIBUTE);
        if (!(caller instanceof Caller c)) {
            throw new UnauthenticatedException();
        }
        if (!allows(access, c.role())) {
            throw new ForbiddenException("Role " + c.role() + " may not do this.");
        }
        return true;
    }

    public static Access required(HandlerMethod method) {
        Access access = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), Access.class);
        return access != null ? access : AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), Access.class);
    }

    public static boolean allows(Access access, Role role) {
        return Arrays.asList(access.value()).contains(role);
    }
}
