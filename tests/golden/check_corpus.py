#!/usr/bin/env python3
"""Runs kolla-build over every case of the shared kolla corpus and compares
what it writes with what upstream kolla-build wrote for the same arguments.

Rendering cases: every Dockerfile must be byte-identical (the value of the
kolla_version label aside), and the set of image folders must be the same.
Graph cases: --list-images output as a set of names, --list-dependencies as
a tree (sibling order follows the file system upstream, so it is ignored).

Usage: check_corpus.py KOLLA_BUILD CORPUS_DIR [CASE...]
Exit status 0 when every case agrees, 1 otherwise; 77 when there is no
corpus (CTest reports the test as skipped).
"""
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile

VERSION_LABEL = re.compile(r'kolla_version="[^"]*"')


def case_args(corpus, name):
    with open(os.path.join(corpus, 'expected', name + '.args')) as f:
        args = [line.rstrip('\n') for line in f if line.strip()]
    return [os.path.join(corpus, a) if a.startswith('cases/') else a
            for a in args]


def run(kolla_build, corpus, args, work):
    cmd = [kolla_build, '--images-dir', os.path.join(corpus, 'kolla', 'docker'),
           '--work-dir', work] + args
    env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
           'HOME': work}
    return subprocess.run(cmd, capture_output=True, text=True, env=env)


def dockerfiles(root):
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        if 'Dockerfile' in files:
            rel = os.path.relpath(os.path.join(dirpath, 'Dockerfile'), root)
            with open(os.path.join(dirpath, 'Dockerfile'), 'rb') as f:
                out[rel] = f.read()
    return out


def normalise(data):
    return VERSION_LABEL.sub('kolla_version="X"', data.decode('utf-8'))


def check_render(kolla_build, corpus, name):
    errors = []
    with tempfile.TemporaryDirectory(prefix='kb-golden-') as work:
        res = run(kolla_build, corpus,
                  ['--template-only'] + case_args(corpus, name), work)
        if res.returncode != 0:
            return ['%s: exit %d\n%s' % (name, res.returncode, res.stderr)], 0
        got = dockerfiles(os.path.join(work, 'docker'))
        want = dockerfiles(os.path.join(corpus, 'expected', name))
        for rel in sorted(set(want) - set(got)):
            errors.append('%s: missing %s' % (name, rel))
        for rel in sorted(set(got) - set(want)):
            errors.append('%s: unexpected %s' % (name, rel))
        for rel in sorted(set(want) & set(got)):
            a, b = normalise(want[rel]), normalise(got[rel])
            if a != b:
                diff = ''.join(difflib.unified_diff(
                    a.splitlines(True), b.splitlines(True),
                    'upstream/' + rel, 'ours/' + rel, n=1))
                errors.append('%s: %s differs\n%s' % (name, rel, diff[:3000]))
        return errors, len(set(want) & set(got))


def tree_of(node):
    """A JSON dependency tree as nested frozensets."""
    if isinstance(node, str):
        return (node, frozenset())
    (name, kids), = node.items()
    return (name, frozenset(tree_of(k) for k in kids))


def check_graph(kolla_build, corpus, name):
    args = case_args(corpus, name)
    with open(os.path.join(corpus, 'expected', name + '.out')) as f:
        want = f.read()
    with tempfile.TemporaryDirectory(prefix='kb-golden-') as work:
        res = run(kolla_build, corpus, args, work)
    if res.returncode != 0:
        return ['%s: exit %d\n%s' % (name, res.returncode, res.stderr)]
    if '--list-images' in args:
        parse = lambda text: {l.split(' : ', 1)[1] for l in text.splitlines()
                              if ' : ' in l}
        numbers = [int(l.split(' : ')[0]) for l in res.stdout.splitlines()]
        if numbers != list(range(1, len(numbers) + 1)):
            return ['%s: list is not numbered 1..N' % name]
        if parse(res.stdout) != parse(want):
            return ['%s: images differ: missing %s, unexpected %s' % (
                name, sorted(parse(want) - parse(res.stdout)),
                sorted(parse(res.stdout) - parse(want)))]
        return []
    got = json.loads(res.stdout)
    exp = json.loads(want)
    if res.stdout.endswith('\n'):
        return ['%s: output ends with a newline' % name]
    # Upstream shows a single root; ours shows every root that has a
    # matched image, so upstream's tree must be one of ours.
    exp_trees = {tree_of({k: v}) for k, v in exp.items()}
    got_trees = {tree_of({k: v}) for k, v in got.items()}
    if not exp_trees <= got_trees:
        return ['%s: dependency tree differs' % name]
    return []


def main():
    kolla_build, corpus = sys.argv[1], sys.argv[2]
    if not os.path.isdir(os.path.join(corpus, 'expected')):
        print('no corpus at %s: skipped' % corpus)
        return 77
    cases = sys.argv[3:] or sorted(
        f[:-5] for f in os.listdir(os.path.join(corpus, 'expected'))
        if f.endswith('.args'))
    failed = passed = files = 0
    for name in cases:
        if os.path.isdir(os.path.join(corpus, 'expected', name)):
            errors, n = check_render(kolla_build, corpus, name)
            files += n - len([e for e in errors if ' differs' in e])
        else:
            errors = check_graph(kolla_build, corpus, name)
        for e in errors:
            print(e)
        if errors:
            failed += 1
        else:
            passed += 1
        print('%s: %s' % (name, 'FAILED' if errors else 'ok'))
    print('%d identical Dockerfiles' % files)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
