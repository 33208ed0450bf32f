package io.affnet.web.auth;

import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.method.HandlerMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessInterceptorTest {

    static class Handlers {
        public void undeclared() {
        }

        @Access({Role.TENANT_ADMIN, Role.AUDITOR})
        public void adminOrAuditor() {
        }
    }

    @Access(Role.OPERATOR)
    static class OperatorHandlers {
        public void anything() {
        }
    }

    private final AccessInterceptor interceptor = new AccessInterceptor();

    private boolean call(String path, Role role, Object bean, String method) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setAttribute(Caller.REQUEST_ATTRIBUTE, new Caller(TenantId.of("t_1"), "p", role));
        return interceptor.preHandle(request, new MockHttpServletResponse(), new HandlerMethod(bean, bean.getClass().getMethod(method)));
    }

    @Test
    void refusesApiRoutesThatDeclareNoRolesToEveryone() {
        for (Role role : Role.values()) {
            assertThatThrownBy(() -> call("/api/v1/new-thing", role, new Handlers(), "undeclared"))
                    .isInstanceOf(ForbiddenException.class).hasMessageContaining("declares no access rule");
        }
    }

    @Test
    void letsOnlyTheDeclaredRolesThroughFromMethodOrClass() throws Exception {
        assertThat(call("/api/v1/x", Role.AUDITOR, new Handlers(), "adminOrAuditor")).isTrue();
        assertThatThrownBy(() -> call("/api/v1/x", Role.AFFILIATE, new Handlers(), "adminOrAuditor"))
                .isInstanceOf(ForbiddenException.class);
        assertThat(call("/api/v1/x", Role.OPERATOR, new OperatorHandlers(), "anything")).isTrue();
        assertThatThrownBy(() -> call("/api/v1/x", Role.TENANT_ADMIN, new OperatorHandlers(), "anything"))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void leavesRoutesOutsideTheApiToTheirOwnCredentials() throws Exception {
        assertThat(call("/postback", Role.AFFILIATE, new Handlers(), "undeclared")).isTrue();
    }
}
