#!/usr/bin/env bash
# A tenant's first conversion, through the public API only, against a running platform.
# The README's "walk-through" shows exactly the steps between the two markers below; WalkthroughIT runs
# this script against a fresh platform and checks its last line, so the README stays true.
#
#   B=http://localhost:8080 OP=$(cat .affnet/operator.key) scripts/walkthrough.sh
#
# Needs bash, curl and sed. Prints each answer; exits non-zero when a step does not answer as shown.
set -euo pipefail
B=${B:-http://localhost:8080}
OP=${OP:-$(cat .affnet/operator.key)}
SLUG=${SLUG:-acme-$RANDOM}
field() { sed -n 's/.*"'"$1"'":"\([^"]*\)".*/\1/p'; }   # a string field of a flat JSON answer
fail() { echo "walkthrough: $*" >&2; exit 1; }

# --- walk-through ---
J='Content-Type: application/json'
# 1. The operator registers a tenant; its admin key is shown in this answer only.
TENANT=$(curl -sf -XPOST $B/api/v1/tenants -H "Authorization: Bearer $OP" -H "$J" \
  -d '{"slug":"'$SLUG'","name":"Acme Network","timezone":"Europe/Berlin","currency":"EUR"}')
K=$(echo "$TENANT" | field adminKey); H="Authorization: Bearer $K"
# 2. An advertiser, and its offer. Money is a decimal string with its currency ({"amount":"2.50","currency":"EUR"})
#    or a share of the sale ({"percent":"12.5"} = 12.5 %); here the network gets 10 % of each sale, the affiliate 7 %.
ADV=$(curl -sf -XPOST $B/api/v1/advertisers -H "$H" -H "$J" -d '{"name":"Shop","defaultCurrency":"EUR"}' | field id)
OFFER=$(curl -sf -XPOST $B/api/v1/offers -H "$H" -H "$J" -d '{"name":"Shoes","advertiserId":"'$ADV'",
  "destinationUrl":"https://shop.example/?cid={click_id}&s1={sub1}","currency":"EUR","status":"ACTIVE",
  "goals":[{"name":"sale","revenue":{"percent":"10"},"payout":{"percent":"7"}},
           {"name":"lead","revenue":{"amount":"3.00","currency":"EUR"},"payout":{"amount":"2.00","currency":"EUR"}}],
  "caps":{"daily":500},"fallbackUrl":"https://shop.example/"}' | field id)
# 3. An affiliate and its tracking link.
AFF=$(curl -sf -XPOST $B/api/v1/affiliates -H "$H" -H "$J" -d '{"name":"Blog","email":"ops@blog.example","status":"ACTIVE"}' | field id)
CODE=$(curl -sf -XPOST $B/api/v1/links -H "$H" -H "$J" -d '{"affiliateId":"'$AFF'","offerIds":["'$OFFER'"],"status":"ACTIVE"}' | field code)
# 4. A postback token for the advertiser. By default a conversion reported less than 10 s after its click is
#    refused as fraud_too_fast (minSecondsToConvert); this walk-through reports at once, so it sets that rule to 0.
TOKEN=$(curl -sf -XPOST $B/api/v1/postback-tokens -H "$H" | field token)
curl -sf -XPUT $B/api/v1/postback-settings -H "$H" -H "$J" \
  -d '{"fraud":{"minSecondsToConvert":0,"maxConversionsPerClickGoal":5,"selfReferral":true,"flagOnly":false}}' >/dev/null
# 5. A visitor clicks: 302 to the offer; the click id is in the Location and in the cookie afn_cid. A new link
#    answers once the click path's configuration cache has it, a fraction of a second after step 3 (404 before).
for _ in $(seq 1 50); do
  CLICK=$(curl -s -o /dev/null -D - "$B/c/$CODE?sub1=newsletter" | sed -n 's/^[Ss]et-[Cc]ookie: afn_cid=\([^;]*\).*/\1/p')
  [ -n "$CLICK" ] && break; sleep 0.2
done
# 6. The advertiser reports a sale of 49.90 EUR for that click (a decimal comma is accepted too).
ANSWER=$(curl -s "$B/postback?click_id=$CLICK&txn_id=ORDER-1&goal=sale&amount=49.90&currency=EUR&token=$TOKEN")
echo "postback: $ANSWER"                                          # accepted
# 7. The affiliate's balance: 7 % of 49.90 EUR, approved (a postback without status=... approves; the read model
#    follows within a second or so).
for _ in $(seq 1 50); do
  BALANCE=$(curl -sf $B/api/v1/affiliates/$AFF/balance -H "$H")
  case "$BALANCE" in *'"approved":{"amount":"3.49"'*) break ;; esac; sleep 0.2
done
echo "balance: $BALANCE"
# --- end ---

[ -n "$K" ] && [ -n "$OFFER" ] && [ -n "$CODE" ] && [ -n "$CLICK" ] || fail "a set-up step gave no id (tenant: $TENANT)"
[ "$ANSWER" = accepted ] || fail "the postback answered '$ANSWER', not 'accepted'"
case "$BALANCE" in *'"approved":{"amount":"3.49","currency":"EUR"}'*) ;; *) fail "the balance shows no 3.49 EUR approved: $BALANCE" ;; esac
echo "walkthrough: ok tenant=$SLUG offer=$OFFER click=$CLICK postback=$ANSWER approved=3.49 EUR"
