package io.dormant.engine.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Dormant's own API ({@code /api/*}) takes the same users as Camunda: HTTP basic credentials
 * checked against Camunda's identity service. Reading needs any user; changing needs one of the
 * groups that may change images, because every version made here lands in the audit trail.
 */
final class ApiAuthenticationFilter extends OncePerRequestFilter {

    static final List<String> WRITERS = List.of("camunda-admin", "image-admins", "operators");

    private final IdentityService identityService;

    ApiAuthenticationFilter(IdentityService identityService) {
        this.identityService = identityService;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = authenticatedUser(request.getHeader("Authorization"));
        if (user == null) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"dormant\"");
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "log in with the user and password of a Dormant user");
            return;
        }
        if (!"GET".equals(request.getMethod()) && !isWriter(user)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "user " + user + " is in none of the groups " + WRITERS);
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return () -> user;
            }

            @Override
            public String getRemoteUser() {
                return user;
            }
        }, response);
    }

    private String authenticatedUser(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        return identityService.checkPassword(user, decoded.substring(colon + 1)) ? user : null;
    }

    private boolean isWriter(String user) {
        return identityService.createGroupQuery().groupMember(user).list().stream()
                .anyMatch(group -> WRITERS.contains(group.getId()));
    }
}
