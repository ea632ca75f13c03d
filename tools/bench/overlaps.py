"""The same job in Python, for a side-by-side: every overlapping pair of a plan, by a careful
sort and sweep with the standard library's ipaddress (strict parsing, as hybridnet's).

    python3 tools/bench/overlaps.py <plan file>

Reads one prefix per line; prints one JSON line with the prefix and overlap counts.
"""
import ipaddress
import json
import sys


def main(path):
    with open(path, encoding="ascii") as f:
        nets = [ipaddress.ip_network(line.strip(), strict=True) for line in f if line.strip()]
    # (version, first address, length, position): one sort, then a sweep with a stack of the
    # prefixes that enclose the current one, as the engine does.
    keyed = sorted((n.version, int(n.network_address), n.prefixlen, int(n.broadcast_address), i) for i, n in enumerate(nets))
    overlaps = 0
    stack = []
    version = None
    for v, first, _length, last, _i in keyed:
        if v != version:
            stack, version = [], v
        while stack and stack[-1] < first:
            stack.pop()
        overlaps += len(stack)
        stack.append(last)
    print(json.dumps({"prefixes": len(nets), "overlaps": overlaps}))


if __name__ == "__main__":
    main(sys.argv[1])
