#!/usr/bin/env python3
"""Where a JFR recording's CPU samples are: the top frames and the top application frames (io.pushcqrs.*).

    python3 bench/jfr-top.py RECORDING.jfr [--top 15]

Reads `jfr print --events jdk.ExecutionSample` (the JDK's jfr tool, on PATH or next to java). Used for the profiles
in docs/benchmarks.md (scripts/bench.sh --jfr writes them).
"""
import argparse, collections, os, re, shutil, subprocess, sys

def jfr_tool():
    tool = shutil.which("jfr")
    if tool:
        return tool
    java = shutil.which("java")
    if java:
        candidate = os.path.join(os.path.dirname(os.path.realpath(java)), "jfr")
        if os.path.exists(candidate):
            return candidate
    sys.exit("jfr-top: the JDK's jfr tool is not on PATH")

def main():
    p = argparse.ArgumentParser()
    p.add_argument("recording")
    p.add_argument("--top", type=int, default=15)
    a = p.parse_args()
    out = subprocess.run([jfr_tool(), "print", "--events", "jdk.ExecutionSample", a.recording],
                         capture_output=True, text=True, check=True).stdout
    frame = re.compile(r"^\s+([\w$.<>]+)\(.*\)\s+line:")
    tops, apps, packages = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for event in out.split("jdk.ExecutionSample")[1:]:
        frames = [m.group(1) for m in map(frame.match, event.splitlines()) if m]
        if not frames:
            continue
        total += 1
        tops[frames[0]] += 1
        packages[".".join(frames[0].split(".")[:3])] += 1
        app = next((f for f in frames if f.startswith("io.pushcqrs.")), None)
        if app:
            apps[app] += 1
    print(f"{a.recording}: {total} samples")
    for title, counter in (("top frames", tops), ("top frame's package", packages),
                           ("first io.pushcqrs frame on the stack", apps)):
        print(f"\n{title}:")
        for name, n in counter.most_common(a.top):
            print(f"  {100.0 * n / max(total, 1):5.1f}%  {name}")

if __name__ == "__main__":
    main()
