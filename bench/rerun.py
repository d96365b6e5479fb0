#!/usr/bin/env python3
"""The example tree built three times on a private dockerd: cold, a rerun
with nothing changed, and a rerun after one leaf's file changed. Prints the
wall time of each and which images were built; not a test.

Usage: bench/rerun.py [KOLLA_BUILD]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
kolla_build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    root, 'build', 'kolla-build')
services = os.path.join(root, 'build', 'bench-services')
harness = os.path.join(root, 'tests', 'harness', 'services.sh')


def main():
    subprocess.run([harness, 'start', services], check=True)
    env_file = dict(l.strip().split('=', 1)
                    for l in open(os.path.join(services, 'env')) if '=' in l)
    base_name, base_tag = env_file['KB_TEST_BASE_IMAGE'].rsplit(':', 1)
    tmp = tempfile.mkdtemp(prefix='kb-rerun-')
    tree = os.path.join(tmp, 'examples')
    shutil.copytree(os.path.join(root, 'examples'), tree)
    env = {'PATH': os.environ['PATH'], 'HOME': tmp,
           'DOCKER_HOST': env_file['DOCKER_HOST']}
    args = [kolla_build, '--config-file', os.path.join(tree, 'kolla-build.conf'),
            '--images-dir', os.path.join(tree, 'docker'),
            '--template-override', os.path.join(tree, 'override.j2'),
            '--base-image', base_name, '--base-tag', base_tag,
            '--namespace', 'rerun%d' % os.getpid()]
    try:
        for label, change in (('cold build', None),
                              ('rerun, nothing changed', None),
                              ('rerun, one leaf file changed',
                               'docker/app/app-worker/extra.txt')):
            if change:
                with open(os.path.join(tree, change), 'w') as f:
                    f.write('changed\n')
            start = time.perf_counter()
            res = subprocess.run(args, env=env, capture_output=True, text=True)
            took = time.perf_counter() - start
            summary = json.loads(res.stdout.strip().splitlines()[-1])
            print('%s: %.2fs, built %s' % (
                label, took, [e['name'] for e in summary['built']] or 'none'))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run([harness, 'stop', services])


if __name__ == '__main__':
    main()
