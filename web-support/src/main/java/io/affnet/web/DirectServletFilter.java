package io.affnet.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import java.io.IOException;
import java.util.List;

/**
 * The front of a hot endpoint: runs only the filters that endpoint needs, in the order given, then its
 * servlet, and never the rest of the container's chain. Mapped first, to the endpoint's paths only, for
 * REQUEST dispatches (an ERROR forward to {@code /error} goes through the whole chain as before).
 *
 * <p>Why: every filter registered for {@code /*} (character encoding, form content, request context, the
 * request observation, the API's key and input checks, which all let a tracking request pass) ran for
 * every click: the servlet filters were ~8 % of the click bench's samples, a third of that in filters
 * with nothing to do on {@code /c/} (docs/bench-clicks.md, decisions/0015). The filters listed here are
 * the same instances the container runs elsewhere; a {@code OncePerRequestFilter} among them that
 * already ran earlier in the container's chain is skipped by its own once-per-request mark.
 */
public final class DirectServletFilter implements Filter {

    private final List<Filter> filters;
    private final Servlet servlet;

    public DirectServletFilter(List<Filter> filters, Servlet servlet) {
        this.filters = List.copyOf(filters);
        this.servlet = servlet;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getDispatcherType() != DispatcherType.REQUEST) {
            chain.doFilter(request, response);
            return;
        }
        new Step(0).doFilter(request, response);
    }

    /** The chain of the listed filters, ending at the servlet. */
    private final class Step implements FilterChain {

        private final int index;

        Step(int index) {
            this.index = index;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
            if (index < filters.size()) {
                filters.get(index).doFilter(request, response, new Step(index + 1));
            } else {
                servlet.service(request, response);
            }
        }
    }
}
