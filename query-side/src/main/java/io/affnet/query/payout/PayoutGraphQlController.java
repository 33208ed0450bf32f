package io.affnet.query.payout;

import graphql.schema.DataFetchingEnvironment;
import io.affnet.api.common.MoneyJson;
import io.affnet.query.report.FieldGrants;
import io.affnet.web.auth.Caller;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The money reads of REST (balances, ledger entries, payout methods, payouts, runs, statements) through
 * GraphQL: the same controllers answer, so the same role rules and tenant scope apply (affiliates only
 * their own, advertisers nothing, auditors everything). Money is shown the API's way (a decimal string and
 * its currency), and each money field only where {@link FieldGrants} ({@code LEDGER}) lets the caller see it.
 */
@Controller
public class PayoutGraphQlController {

    public record MoneyView(String amount, String currency) {
    }

    public record AccountBalanceView(String account, String qualifier, MoneyView balance) {
    }

    public record CurrencyBalancesView(String currency, MoneyView pending, MoneyView available, MoneyView inPayout,
                                       MoneyView paid, List<AccountBalanceView> accounts) {
    }

    public record AffiliateBalancesView(String affiliateId, String asOf, List<CurrencyBalancesView> balances) {
    }

    public record CurrencyAccountsView(String currency, List<AccountBalanceView> accounts) {
    }

    public record LedgerBalancesView(String asOf, List<CurrencyAccountsView> currencies) {
    }

    public record LedgerLineView(String account, String qualifier, MoneyView amount) {
    }

    public record LedgerEntryView(String entryId, String kind, String reference, String currency, String postedAt,
                                  List<LedgerLineView> lines) {
    }

    public record LedgerEntryPageView(List<LedgerEntryView> entries, String next) {
    }

    public record PayoutMethodView(String methodId, String processor, String destination, String currency, String country,
                                   String status, boolean isDefault, String updatedAt) {
    }

    public record PayoutView(String payoutId, String runId, String affiliateId, String processor, String destination,
                             MoneyView amount, MoneyView paid, String fxRate, String fxSource, String fxQuotedAt, String state,
                             String reference, String reason, String updatedAt) {
    }

    public record PayoutRunView(String runId, String status, String periodFrom, String periodTo, String createdBy,
                                String approvedBy, String createdAt) {
    }

    public record PayoutRunItemView(String payoutId, String affiliateId, String processor, MoneyView amount, MoneyView paid,
                                    String fxRate, String fxSource, String state) {
    }

    public record PayoutRunProgressView(String state, long payouts, List<MoneyView> paid) {
    }

    public record PayoutRunDetailView(PayoutRunView run, List<PayoutRunItemView> items, List<PayoutRunProgressView> progress) {
    }

    public record StatementItemView(String postedAt, String category, String reference, MoneyView amount, String fxRate,
                                    MoneyView paid) {
    }

    public record StatementSectionView(String currency, MoneyView opening, MoneyView commissions, MoneyView reversals,
                                       MoneyView fees, MoneyView paidOut, MoneyView returned, MoneyView closing) {
    }

    public record StatementView(String affiliateId, String from, String to, List<StatementSectionView> currencies,
                                List<StatementItemView> items) {
    }

    private final PayoutQueryController reads;
    private final StatementController statements;

    public PayoutGraphQlController(PayoutQueryController reads, StatementController statements) {
        this.reads = reads;
        this.statements = statements;
    }

    @QueryMapping
    public AffiliateBalancesView ledgerBalances(@Argument String affiliateId, @Argument String asOf, DataFetchingEnvironment env) {
        Caller caller = caller(env);
        Visible v = new Visible(caller);
        PayoutQueryController.AffiliateBalances b = reads.balances(caller, affiliateId, asOf);
        List<CurrencyBalancesView> out = new ArrayList<>();
        for (PayoutQueryController.CurrencyBalances c : b.balances()) {
            String cur = c.currency();
            out.add(new CurrencyBalancesView(cur, v.money("affiliate_pending", c.pendingMinor(), cur),
                    v.money("affiliate_available", c.availableMinor(), cur), v.money("affiliate_in_payout", c.inPayoutMinor(), cur),
                    v.money("affiliate_paid", c.paidMinor(), cur), v.accounts(c.accounts(), cur)));
        }
        return new AffiliateBalancesView(b.affiliateId(), b.asOf().toString(), out);
    }

    @QueryMapping
    @SuppressWarnings("unchecked")
    public LedgerBalancesView tenantLedgerBalances(@Argument String asOf, DataFetchingEnvironment env) {
        Caller caller = caller(env);
        Visible v = new Visible(caller);
        Map<String, Object> b = reads.tenantBalances(caller, asOf);
        List<CurrencyAccountsView> out = new ArrayList<>();
        ((Map<String, List<PayoutQueryController.AccountBalance>>) b.get("currencies"))
                .forEach((cur, accounts) -> out.add(new CurrencyAccountsView(cur, v.accounts(accounts, cur))));
        return new LedgerBalancesView(b.get("asOf").toString(), out);
    }

    @QueryMapping
    public LedgerEntryPageView ledgerEntries(@Argument String affiliateId, @Argument Integer first, @Argument String after,
                                             DataFetchingEnvironment env) {
        Caller caller = caller(env);
        Visible v = new Visible(caller);
        if (first != null && (first < 1 || first > PayoutQueryController.MAX_LIMIT)) {
            throw io.affnet.web.problem.ApiProblem.invalid("first", "first must be between 1 and " + PayoutQueryController.MAX_LIMIT);
        }
        PayoutQueryController.EntryPage page = reads.entries(caller, affiliateId, after, first == null ? 100 : first);
        List<LedgerEntryView> entries = new ArrayList<>();
        for (PayoutQueryController.Entry e : page.entries()) {
            List<LedgerLineView> lines = new ArrayList<>();
            for (PayoutQueryController.Line l : e.lines()) {
                MoneyView amount = v.money(l.account().toLowerCase(Locale.ROOT), l.minor(), e.currency());
                if (amount != null) {
                    lines.add(new LedgerLineView(l.account(), l.qualifier(), amount));
                }
            }
            entries.add(new LedgerEntryView(e.entryId(), e.kind(), e.reference(), e.currency(), e.postedAt().toString(), lines));
        }
        return new LedgerEntryPageView(entries, page.nextCursor());
    }

    @QueryMapping
    public List<PayoutMethodView> payoutMethods(@Argument String affiliateId, DataFetchingEnvironment env) {
        return reads.methods(caller(env), affiliateId).stream().map(m -> new PayoutMethodView(m.methodId(), m.processor(),
                m.destination(), m.currency(), m.country(), m.status(), m.isDefault(), m.updatedAt().toString())).toList();
    }

    @QueryMapping
    public List<PayoutView> payouts(@Argument String affiliateId, DataFetchingEnvironment env) {
        Caller caller = caller(env);
        Visible v = new Visible(caller);
        return reads.affiliatePayouts(caller, affiliateId).stream().map(p -> payout(p, v)).toList();
    }

    @QueryMapping
    public PayoutView payout(@Argument String id, DataFetchingEnvironment env) {
        Caller caller = caller(env);
        return payout(reads.payout(caller, id), new Visible(caller));
    }

    @QueryMapping
    public List<PayoutRunView> payoutRuns(DataFetchingEnvironment env) {
        return reads.runs(caller(env)).stream().map(PayoutGraphQlController::run).toList();
    }

    @QueryMapping
    public PayoutRunDetailView payoutRun(@Argument String id, DataFetchingEnvironment env) {
        Caller caller = caller(env);
        Visible v = new Visible(caller);
        PayoutQueryController.RunDetail d = reads.run(caller, id);
        List<PayoutRunItemView> items = new ArrayList<>();
        for (Map<String, Object> i : d.items()) {
            items.add(new PayoutRunItemView((String) i.get("payoutId"), (String) i.get("affiliateId"), (String) i.get("processor"),
                    v.money("payout_amount", (Long) i.get("amountMinor"), (String) i.get("amountCurrency")),
                    v.money("payout_paid", (Long) i.get("paidMinor"), (String) i.get("paidCurrency")),
                    v.text("fx_rate", (String) i.get("fxRate")), (String) i.get("fxSource"), (String) i.get("state")));
        }
        List<PayoutRunProgressView> progress = new ArrayList<>();
        for (PayoutQueryController.StateCount s : d.progress()) {
            List<MoneyView> paid = new ArrayList<>();
            if (s.paidMinorByCurrency() != null) {
                s.paidMinorByCurrency().forEach((cur, minor) -> {
                    MoneyView m = v.money("payout_paid", minor, cur);
                    if (m != null) {
                        paid.add(m);
                    }
                });
            }
            progress.add(new PayoutRunProgressView(s.state(), s.payouts(), paid));
        }
        return new PayoutRunDetailView(run(d.run()), items, progress);
    }

    @QueryMapping
    public StatementView statement(@Argument String affiliateId, @Argument String from, @Argument String to,
                                   DataFetchingEnvironment env) {
        Caller caller = caller(env);
        Visible v = new Visible(caller);
        StatementController.Statement s = (StatementController.Statement) statements.statement(caller, affiliateId, from, to, "json")
                .getBody();
        List<StatementSectionView> sections = new ArrayList<>();
        for (StatementController.Section c : s.currencies()) {
            String cur = c.currency();
            sections.add(new StatementSectionView(cur, owed(v, c.openingMinor(), cur), owed(v, c.commissionsMinor(), cur),
                    owed(v, c.reversalsMinor(), cur), owed(v, c.feesMinor(), cur), owed(v, c.paidOutMinor(), cur),
                    owed(v, c.returnedMinor(), cur), owed(v, c.closingMinor(), cur)));
        }
        List<StatementItemView> items = new ArrayList<>();
        for (StatementController.Item i : s.items()) {
            items.add(new StatementItemView(i.postedAt().toString(), i.category(), i.reference(), owed(v, i.minor(), i.currency()),
                    v.text("fx_rate", i.fxRate()), v.money("payout_paid", i.paidMinor(), i.paidCurrency())));
        }
        return new StatementView(s.affiliateId(), s.from().toString(), s.to().toString(), sections, items);
    }

    /** What the affiliate is owed (its pending plus available accounts). */
    private static MoneyView owed(Visible v, long minor, String currency) {
        return v.money("affiliate_available", minor, currency);
    }

    private static PayoutView payout(PayoutQueryController.Payout p, Visible v) {
        return new PayoutView(p.payoutId(), p.runId(), p.affiliateId(), p.processor(), p.destination(),
                v.money("payout_amount", p.amountMinor(), p.amountCurrency()), v.money("payout_paid", p.paidMinor(), p.paidCurrency()),
                v.text("fx_rate", p.fxRate()), p.fxSource(), p.fxQuotedAt() == null ? null : p.fxQuotedAt().toString(), p.state(),
                p.reference(), p.reason(), p.updatedAt().toString());
    }

    private static PayoutRunView run(PayoutQueryController.RunSummary r) {
        return new PayoutRunView(r.runId(), r.status(), r.periodFrom(), r.periodTo(), r.createdBy(), r.approvedBy(),
                r.createdAt().toString());
    }

    private static Caller caller(DataFetchingEnvironment env) {
        return env.getGraphQlContext().get(Caller.REQUEST_ATTRIBUTE);
    }

    /** The caller's view of the ledger's money fields: a field it may not see is null (a line of it is left out). */
    private record Visible(FieldGrants.Viewer viewer) {

        Visible(Caller caller) {
            this(new FieldGrants.Viewer(caller.role(), false));
        }

        MoneyView money(String field, Long minor, String currency) {
            if (minor == null || currency == null || !viewer.sees(FieldGrants.Surface.LEDGER, field)) {
                return null;
            }
            return new MoneyView(MoneyJson.amount(minor, currency), currency);
        }

        String text(String field, String value) {
            return viewer.sees(FieldGrants.Surface.LEDGER, field) ? value : null;
        }

        List<AccountBalanceView> accounts(List<PayoutQueryController.AccountBalance> accounts, String currency) {
            List<AccountBalanceView> out = new ArrayList<>();
            for (PayoutQueryController.AccountBalance a : accounts) {
                MoneyView m = money(a.account().toLowerCase(Locale.ROOT), a.minor(), currency);
                if (m != null) {
                    out.add(new AccountBalanceView(a.account(), a.qualifier(), m));
                }
            }
            return out;
        }
    }
}
