#!/usr/bin/env python3
"""Mutates EDI files and runs every reading command of edigate over the mutants.

Each mutant is a copy of one input file changed by one to three mutations (bit flips, delimiter bytes, truncation,
a repeated range, a huge element, invalid UTF-8, a spliced range of another input, a deleted range, a duplicated
segment, newline terminators, NUL bytes). `edigate parse`, `inspect`, `validate` and `translate` then read it from
the repository root, where they find Maps/ and PartnerProfiles/. edigate exits 0 when a file is sound and 2 when it
reported findings; a mutant is still a readable file, so any other exit status, a signal, a run longer than the
timeout, or a line on standard error longer than 2,000 characters (an error message that echoes the payload) is a
failure. Each failure is printed on one line and its mutant is saved under .build/mutants/ so that the failing
command can be rerun on it.

The run is deterministic given its seed, which is printed first (`seed S`): every mutant draws its own seed from it,
and a mutant is made from its seed and the inputs alone.

Usage: mutate_cli.py BINARY [--mutants N] [--seed S] [--jobs J] [--timeout SECONDS] [--keep DIR] [FILES_OR_DIRS...]
Inputs default to Samples/; folders contribute the files that start an X12 or EDIFACT interchange. Ends with a
summary; exits 0 when nothing failed, 1 otherwise.
"""
import argparse
import collections
import concurrent.futures
import functools
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMANDS = ("parse", "inspect", "validate", "translate")
SAVED = os.path.join(ROOT, ".build", "mutants")
LONG_LINE = 2000
MESSAGE_LIMIT = 300
REPEAT_LIMIT = 1 << 20
INVALID_UTF8 = (b"\xc3", b"\xff", b"\xc0\xaf", b"\xed\xa0\x80")

Delimiters = collections.namedtuple("Delimiters", "element component terminator others")
Input = collections.namedtuple("Input", "path name data delimiters")
Mutant = collections.namedtuple("Mutant", "index seed source kinds data")
Failure = collections.namedtuple("Failure", "command kind detail message")


def detect_delimiters(data):
    """The delimiters the file declares: X12 from its ISA, EDIFACT from its UNA or the defaults."""
    start = data.find(b"ISA")
    if start >= 0 and len(data) > start + 3:
        element = data[start + 3:start + 4]
        fields = data[start:].split(element, 16)
        tail = fields[16] if len(fields) > 16 else data[start + 104:start + 106]
        component, terminator = tail[0:1] or b">", tail[1:2] or b"~"
        repetition = fields[11][:1] if len(fields) > 11 else b""
        others = repetition if repetition and not repetition.isalnum() else b""
        return Delimiters(element, component, terminator, others)
    start = data.find(b"UNA")
    if start >= 0 and len(data) >= start + 9:
        una = data[start + 3:start + 9]
        return Delimiters(una[1:2], una[0:1], una[5:6], una[3:4])
    return Delimiters(b"+", b":", b"'", b"?")


def starts_interchange(path):
    """Whether the file begins (after whitespace or a byte order mark) with ISA, UNA or UNB."""
    with open(path, "rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:3] in (b"ISA", b"UNA", b"UNB")


def collect_inputs(arguments):
    """The input files, sorted: named files as given, files under named folders when they start an interchange."""
    paths = []
    for argument in arguments:
        if os.path.isdir(argument):
            for folder, subfolders, names in os.walk(argument):
                subfolders.sort()
                paths += [p for p in (os.path.join(folder, n) for n in sorted(names)) if starts_interchange(p)]
        else:
            paths.append(argument)
    inputs = []
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        name = os.path.relpath(os.path.abspath(path), ROOT)
        inputs.append(Input(os.path.abspath(path), name, data, detect_delimiters(data)))
    return inputs


def bit_flips(data, rng, source, inputs):
    """Flips one to sixteen random bits."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def delimiter_bytes(data, rng, source, inputs):
    """Overwrites one to eight random bytes with the file's own delimiters."""
    delimiters = source.delimiters
    choices = delimiters.element + delimiters.component + delimiters.terminator + delimiters.others
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] = rng.choice(choices)
    return bytes(data)


def truncation(data, rng, source, inputs):
    """Cuts the file at a random point."""
    return data[:rng.randrange(len(data))] if data else data


def random_range(data, rng, longest):
    """(start, end) of a random non-empty range of at most `longest` bytes, lengths spread over powers of two."""
    start = rng.randrange(len(data))
    length = rng.randint(1, min(len(data) - start, longest, 1 << rng.randint(0, 16)))
    return start, start + length


def repeated_range(data, rng, source, inputs):
    """Repeats a random range in place up to a random size of at most about 1 MB."""
    if not data:
        return data
    start, end = random_range(data, rng, 4096)
    target = int(2 ** rng.uniform(1, 20))
    count = max(2, min(target, REPEAT_LIMIT - len(data)) // (end - start))
    return data[:start] + data[start:end] * count + data[end:]


def huge_element(data, rng, source, inputs):
    """Inserts 100 KB to 2 MB of one letter after a random element separator."""
    separator = source.delimiters.element
    positions = [match.end() for match in re.finditer(re.escape(separator), data)] or [rng.randint(0, len(data))]
    position = rng.choice(positions)
    payload = bytes([rng.choice(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")]) * rng.randint(100_000, 2_000_000)
    return data[:position] + payload + data[position:]


def invalid_utf8(data, rng, source, inputs):
    """Inserts one to four invalid UTF-8 sequences: a lone lead byte, 0xFF, an overlong '/', a lone surrogate."""
    for _ in range(rng.randint(1, 4)):
        position = rng.randint(0, len(data))
        data = data[:position] + rng.choice(INVALID_UTF8) + data[position:]
    return data


def splice(data, rng, source, inputs):
    """Inserts a random range of another input file (of this one when it is the only input) at a random point."""
    donor = rng.choice([i for i in inputs if i is not source] or [source]).data
    if not donor:
        return data
    start, end = random_range(donor, rng, len(donor))
    position = rng.randint(0, len(data))
    return data[:position] + donor[start:end] + data[position:]


def deleted_range(data, rng, source, inputs):
    """Deletes a random range."""
    if not data:
        return data
    start, end = random_range(data, rng, len(data))
    return data[:start] + data[end:]


def segment_spans(data, terminator):
    """(start, end) of every segment: from after the previous terminator and its line break to after its own."""
    ends = [match.end() for match in re.finditer(re.escape(terminator) + b"[\r\n]*", data)]
    return list(zip([0] + ends, ends))


def duplicated_segment(data, rng, source, inputs):
    """Inserts one to three copies of a random segment at a random segment boundary."""
    spans = segment_spans(data, source.delimiters.terminator)
    if not spans:
        return data
    start, end = rng.choice(spans)
    position = rng.choice(spans)[rng.randrange(2)]
    return data[:position] + data[start:end] * rng.randint(1, 3) + data[position:]


def newline_terminators(data, rng, source, inputs):
    """Replaces every segment terminator, or a random half of them, with a newline (taking a following LF along)."""
    terminator = source.delimiters.terminator
    share = rng.choice((1.0, 0.5))
    pattern = re.escape(terminator) + (b"\n?" if rng.random() < 0.5 else b"")
    return re.sub(pattern, lambda match: b"\n" if rng.random() < share else match.group(), data)


def nul_bytes(data, rng, source, inputs):
    """Inserts one to sixty-four NUL bytes at one to four random points."""
    for _ in range(rng.randint(1, 4)):
        position = rng.randint(0, len(data))
        data = data[:position] + b"\0" * rng.randint(1, 64) + data[position:]
    return data


MUTATIONS = {
    "bit flips": bit_flips,
    "delimiter bytes": delimiter_bytes,
    "truncation": truncation,
    "repeated range": repeated_range,
    "huge element": huge_element,
    "invalid UTF-8": invalid_utf8,
    "splice": splice,
    "deleted range": deleted_range,
    "duplicated segment": duplicated_segment,
    "newline terminators": newline_terminators,
    "NUL bytes": nul_bytes,
}


def make_mutant(index, seed, inputs):
    """The mutant drawn from its own seed: an input file and one to three distinct mutations, applied in order."""
    rng = random.Random(seed)
    source = rng.choice(inputs)
    kinds = rng.sample(sorted(MUTATIONS), rng.randint(1, 3))
    data = source.data
    for kind in kinds:
        data = MUTATIONS[kind](data, rng, source, inputs)
    return Mutant(index, seed, source, kinds, data)


def mutant_name(mutant):
    """The mutant's file name: its seed in hex and the name of the file it came from."""
    return "%016x-%s" % (mutant.seed, os.path.basename(mutant.source.path))


def last_line(text):
    """The last non-empty line, cut to the message limit."""
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1][:MESSAGE_LIMIT] if lines else ""


def signal_name(number):
    """The signal's name, such as SIGSEGV."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return "SIG%d" % number


def run_command(binary, command, path, timeout):
    """(seconds, failures) of one `edigate COMMAND FILE` run from the repository root."""
    started = time.monotonic()
    try:
        result = subprocess.run([binary, command, path], cwd=ROOT, stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        stderr = (expired.stderr or b"").decode("utf-8", errors="replace")
        return time.monotonic() - started, [Failure(command, "timeout", "after %g s" % timeout, last_line(stderr))]
    seconds = time.monotonic() - started
    stderr = result.stderr.decode("utf-8", errors="replace")
    failures = []
    if result.returncode < 0:
        name = signal_name(-result.returncode)
        failures.append(Failure(command, "signal " + name, "%d" % -result.returncode, last_line(stderr)))
    elif result.returncode not in (0, 2):
        failures.append(Failure(command, "exit %d" % result.returncode, "", last_line(stderr)))
    long_lines = [line for line in stderr.split("\n") if len(line) > LONG_LINE]
    if long_lines:
        failures.append(Failure(command, "long message", "exit %d, a %d-character line" % (
            result.returncode, len(long_lines[0])), long_lines[0][:MESSAGE_LIMIT]))
    return seconds, failures


def check_mutant(index, seed, inputs, binary, timeout, folder, keep):
    """(mutant, [(command, seconds)], failures) after every reading command has read the mutant."""
    mutant = make_mutant(index, seed, inputs)
    path = os.path.join(folder, mutant_name(mutant))
    with open(path, "wb") as handle:
        handle.write(mutant.data)
    runs, failures = [], []
    for command in COMMANDS:
        seconds, found = run_command(binary, command, path, timeout)
        runs.append((command, seconds))
        failures += found
    if not keep:
        os.remove(path)
    return mutant._replace(data=None if not failures else mutant.data), runs, failures


def save(mutant):
    """Writes a failing mutant under .build/mutants/ and returns its path relative to the repository root."""
    os.makedirs(SAVED, exist_ok=True)
    path = os.path.join(SAVED, mutant_name(mutant))
    with open(path, "wb") as handle:
        handle.write(mutant.data)
    return os.path.relpath(path, ROOT)


def report(mutant, failure, saved):
    """Prints one failure on one line."""
    kind = "%s (%s)" % (failure.kind, failure.detail) if failure.detail else failure.kind
    print("FAIL %s: %s; mutant %d seed %d: %s of %s, %d bytes; saved %s; stderr: %s" % (
        failure.command, kind, mutant.index, mutant.seed, " + ".join(mutant.kinds), mutant.source.name,
        len(mutant.data), saved, failure.message or "(none)"), flush=True)


def summarize(mutants, runs, failed, elapsed):
    """Prints the summary of the run."""
    print("summary: %d mutants, %d command runs, %.1f s, %.1f runs/s" % (
        mutants, len(runs), elapsed, len(runs) / elapsed if elapsed else 0.0))
    slowest = max(runs, key=lambda run: run[2], default=None)
    if slowest:
        print("  slowest run: %s of mutant %d, %.2f s" % slowest)
    print("  failures: %d runs of %d mutants" % (sum(len(f) for _, f in failed), len(failed)))
    by_command = collections.Counter((f.command, f.kind) for _, found in failed for f in found)
    for (command, kind), count in sorted(by_command.items()):
        print("    %-10s %-20s %d" % (command, kind, count))
    by_mutation = collections.Counter(kind for mutant, _ in failed for kind in mutant.kinds)
    if by_mutation:
        print("  mutations of failing mutants: " + ", ".join(
            "%s %d" % item for item in sorted(by_mutation.items(), key=lambda item: (-item[1], item[0]))))


def parse_arguments():
    """The command line, with paths made absolute."""
    parser = argparse.ArgumentParser(description="Runs edigate's reading commands over mutated EDI files.")
    parser.add_argument("binary", metavar="BINARY", help="the edigate executable")
    parser.add_argument("inputs", metavar="FILES_OR_DIRS", nargs="*", help="files to mutate (default: Samples/)")
    parser.add_argument("--mutants", type=int, default=300, help="how many mutants (default: 300)")
    parser.add_argument("--seed", type=int, help="the run's seed (default: random, always printed)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants checked at once (default: 2)")
    parser.add_argument("--timeout", type=float, default=20, help="seconds allowed per command run (default: 20)")
    parser.add_argument("--keep", metavar="DIR", help="write every mutant into DIR and keep it")
    arguments = parser.parse_intermixed_args()
    if not os.access(arguments.binary, os.X_OK):
        parser.error("not an executable: " + arguments.binary)
    arguments.binary = os.path.abspath(arguments.binary)
    arguments.inputs = [os.path.abspath(p) for p in arguments.inputs] or [os.path.join(ROOT, "Samples")]
    return arguments


def main():
    arguments = parse_arguments()
    seed = arguments.seed if arguments.seed is not None else int.from_bytes(os.urandom(8), "big")
    print("seed %d" % seed, flush=True)
    inputs = collect_inputs(arguments.inputs)
    if not inputs:
        sys.exit("no input files in " + " ".join(arguments.inputs))
    master = random.Random(seed)
    seeds = [master.getrandbits(64) for _ in range(arguments.mutants)]
    print("%d mutants of %d files, %d jobs, %g s timeout" % (
        arguments.mutants, len(inputs), arguments.jobs, arguments.timeout), flush=True)
    started = time.monotonic()
    runs, failed = [], []
    with tempfile.TemporaryDirectory(prefix="edigate-mutants-") as scratch:
        folder = arguments.keep or scratch
        os.makedirs(folder, exist_ok=True)
        with concurrent.futures.ThreadPoolExecutor(max_workers=arguments.jobs) as pool:
            check = functools.partial(check_mutant, inputs=inputs, binary=arguments.binary,
                                      timeout=arguments.timeout, folder=folder, keep=arguments.keep is not None)
            results = pool.map(check, range(len(seeds)), seeds)
            for mutant, mutant_runs, failures in results:
                runs += [(command, mutant.index, seconds) for command, seconds in mutant_runs]
                if failures:
                    saved = save(mutant)
                    for failure in failures:
                        report(mutant, failure, saved)
                    failed.append((mutant._replace(data=None), failures))
    summarize(arguments.mutants, runs, failed, time.monotonic() - started)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
