"""Independent oracle for the overlap engine: Python's ipaddress, comparing every pair.

Reads a JSON list of plans (each a list of prefixes) on stdin, prints for each plan the sorted
list of index pairs [i, j] (i < j) whose networks overlap.
"""
import ipaddress
import json
import sys

plans = json.load(sys.stdin)
out = []
for plan in plans:
    nets = [ipaddress.ip_network(p, strict=True) for p in plan]
    pairs = []
    for i in range(len(nets)):
        for j in range(i + 1, len(nets)):
            if nets[i].version == nets[j].version and nets[i].overlaps(nets[j]):
                pairs.append([i, j])
    out.append(pairs)
json.dump(out, sys.stdout)
