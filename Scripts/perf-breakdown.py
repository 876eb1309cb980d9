#!/usr/bin/env python3
# Self and inclusive shares of the samples whose stack holds FILTER, from a perf recording made with frame pointers:
#   perf record -o DATA -F 4000 --call-graph=fp Benchmarks/.build/release/EDIBenchmarks 10 --only map
#   python3 Scripts/perf-breakdown.py DATA EDIBenchmarks9translate_ 0%-48%
# (the filter keeps the one-core mapping run of the 856, the window its part of the recording).
import sys, collections, subprocess
data, filt, win = sys.argv[1], sys.argv[2], sys.argv[3]
out = subprocess.run(["perf", "script", "-i", data, "--time", win, "-F", "ip,sym"], capture_output=True, text=True).stdout
leaf = collections.Counter(); incl = collections.Counter(); total=0
def dm(s): return subprocess.run(["swift", "demangle", "--simplified", "--compact", s], capture_output=True, text=True).stdout.strip()[:90]
for block in out.split("\n\n"):
    lines = [l.strip() for l in block.strip().split("\n") if l.strip()]
    if not lines: continue
    syms = [l.split(" ", 1)[1] if " " in l else l for l in lines]
    if not any(filt in s for s in syms): continue
    total+=1
    leaf[syms[0]] += 1
    for s in set(syms): incl[s]+=1
print("total", total)
print("-- self")
for s, n in leaf.most_common(30): print(f"{100*n/total:6.2f} " + dm(s))
print("-- inclusive")
for s, n in incl.most_common(45): print(f"{100*n/total:6.2f} " + dm(s))
