#!/usr/bin/env python3
# Aggregates JFR execution samples: busiest threads, top frames (self) and methods anywhere on the
# stack (inclusive), optionally only between two wall-clock times (HH:MM:SS, as jfr print shows them).
import sys, re, collections
# usage: jfr print --stack-depth 64 --events jdk.ExecutionSample F.jfr | python3 scripts/jfr-top.py [from HH:MM:SS] [to HH:MM:SS]
lo = sys.argv[1] if len(sys.argv) > 1 else "00:00:00"
hi = sys.argv[2] if len(sys.argv) > 2 else "99:99:99"
events = []; cur = None
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("jdk.ExecutionSample"):
        cur = {"frames": []}
    elif cur is not None:
        s = line.strip()
        if s.startswith("startTime"):
            cur["t"] = s.split("=")[1].strip()
        elif s.startswith("sampledThread"):
            cur["thread"] = re.sub(r'\d+', 'N', s.split('"')[1])
        elif s.startswith("stackTrace") or s.startswith("state") or s == "]" or s == "...":
            pass
        elif s == "}":
            if lo <= cur.get("t", "")[:8] <= hi:
                events.append(cur)
            cur = None
        elif s:
            cur["frames"].append(re.sub(r'\s+line:.*$', '', s))
n = len(events)
print("samples", n)
def top(counter, k, title):
    print("\n==", title)
    for key, c in counter.most_common(k):
        print(f"{100*c/n:5.1f}% {c:6d}  {key}")
top(collections.Counter(e["thread"] for e in events), 12, "threads")
top(collections.Counter(e["frames"][0] for e in events if e["frames"]), 30, "self (top frame)")
incl = collections.Counter()
for e in events:
    seen = set()
    for f in e["frames"]:
        m = f.split("(")[0]
        if m not in seen:
            seen.add(m); incl[m] += 1
top(incl, 70, "inclusive (method anywhere on the stack)")
