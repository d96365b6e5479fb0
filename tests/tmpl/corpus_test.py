#!/usr/bin/python3
"""Renders every kolla corpus Dockerfile.j2 with Python Jinja2 and with the
C++ engine (through tmpl_corpus_driver) and requires byte-identical output.

Usage: corpus_test.py DRIVER [CORPUS_DIR]
Skips (exit 0 with a note) when the shared corpus is absent.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import jinja2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.join(HERE, '..', '..', '..', 'shared', 'kolla-corpus')

DISTROS = {
    'debian': ('deb', 'apt'),
    'ubuntu': ('deb', 'apt'),
    'rocky': ('rpm', 'dnf'),
    'centos': ('rpm', 'dnf'),
}


def base_context(defaults, distro, image_name):
    pkg_type, pkg_mgr = DISTROS[distro]
    users = {}
    for section, ids in defaults['users'].items():
        name = section[:-len('-user')]
        users[name] = {'uid': ids['uid'], 'gid': ids['gid'], 'group': name}
    tag = defaults['base_tags'][distro]
    return {
        'base_distro': distro,
        'base_image': tag['name'],
        'base_distro_tag': tag['tag'],
        'base_arch': 'x86_64',
        'repos_yaml': '',
        'use_dumb_init': True,
        'base_package_type': pkg_type,
        'debian_arch': 'amd64',
        'docker_healthchecks': True,
        'supported_distro_name': defaults['distro_pretty_name'][distro],
        'image_prefix': '',
        'namespace': 'kolla',
        'openstack_release': defaults['openstack_release'],
        'openstack_release_codename': defaults['openstack_release_codename'],
        'openstack_branch': 'master',
        'openstack_branch_slashed': 'master',
        'tag': 'master-' + distro,
        'maintainer': 'Kolla Project (https://launchpad.net/kolla)',
        'kolla_version': '21.0.0',
        'image_name': image_name,
        'users': users,
        'distro_package_manager': pkg_mgr,
        'rpm_setup': ['RUN dnf -y install x.rpm'] if pkg_type == 'rpm' else [],
        'clean_package_cache': True,
        'patches_path': None,
        'env': {'http_proxy': 'http://proxy:3128'} if distro == 'ubuntu' else {},
    }


def merge_overrides(paths):
    # Same merge as kolla_worker._merge_overrides.
    with open(paths[0]) as f:
        content = f.read()
    for p in paths[1:]:
        with open(p) as f:
            content += re.sub(r'.*\{\%.*extends.*\n', '', f.read())
    return os.path.basename(paths[0]), content


def python_render(docker_dir, job, envs):
    env = envs.get(docker_dir)
    if env is None:
        env = envs[docker_dir] = oracle.kolla_env(
            jinja2.FileSystemLoader(docker_dir))
    values = dict(job['context'])
    try:
        template = env.get_template(job['template'])
        if 'override_name' in job:
            values['parent_template'] = template
            oenv = oracle.kolla_env(jinja2.DictLoader(
                {job['override_name']: job['override_source']}))
            template = oenv.get_template(job['override_name'])
        return {'ok': True, 'out': template.render(values)}
    except Exception as e:  # noqa: BLE001 - the class is what we compare
        return {'ok': False, 'class': type(e).__name__, 'message': str(e)}


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    driver = sys.argv[1]
    corpus = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_CORPUS
    docker_dir = os.path.join(corpus, 'kolla', 'docker')
    if not os.path.isdir(docker_dir):
        print('SKIP: kolla corpus not found at', corpus)
        return 0
    with open(os.path.join(corpus, 'kolla-defaults.json')) as f:
        defaults = json.load(f)
    templates = []
    for root, _dirs, files in os.walk(docker_dir):
        if 'Dockerfile.j2' in files:
            templates.append(os.path.relpath(
                os.path.join(root, 'Dockerfile.j2'), docker_dir))
    templates.sort()

    overrides = {
        'debian': [[os.path.join(corpus, 'cases', 'override-debian.j2')]],
        'rocky': [[os.path.join(corpus, 'cases', 'override-rocky-a.j2'),
                   os.path.join(corpus, 'cases', 'override-rocky-b.j2')],
                  [os.path.join(corpus, 'cases', 'override-rocky-a.j2')]],
        'ubuntu': [[os.path.join(corpus, 'cases', 'override-debian.j2')]],
        'centos': [],
    }
    jobs = []
    for distro in DISTROS:
        for tpl in templates:
            image = os.path.basename(os.path.dirname(tpl))
            ctx = base_context(defaults, distro, image)
            jobs.append({'docker_dir': docker_dir, 'template': tpl,
                         'context': ctx})
            for paths in overrides[distro]:
                name, source = merge_overrides(paths)
                jobs.append({'docker_dir': docker_dir, 'template': tpl,
                             'context': ctx, 'override_name': name,
                             'override_source': source})

    envs = {}
    expected = [python_render(docker_dir, j, envs) for j in jobs]
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
        json.dump({'jobs': jobs}, f)
        jobs_path = f.name
    try:
        proc = subprocess.run([driver, jobs_path], capture_output=True,
                              text=True, check=False)
    finally:
        os.unlink(jobs_path)
    if proc.returncode != 0:
        print('driver failed:', proc.returncode, proc.stderr[-2000:])
        return 1
    got = json.loads(proc.stdout)
    failures = 0
    for job, exp, res in zip(jobs, expected, got):
        label = '%s %s%s' % (job['context']['base_distro'], job['template'],
                             ' +' + job['override_name']
                             if 'override_name' in job else '')
        if exp['ok'] != res['ok'] or (
                exp['ok'] and exp['out'] != res['out']) or (
                not exp['ok'] and exp['class'] != res['class']):
            failures += 1
            if failures <= 5:
                print('MISMATCH', label)
                if exp['ok'] and res['ok']:
                    import difflib
                    diff = difflib.unified_diff(
                        exp['out'].splitlines(True), res['out'].splitlines(True),
                        'jinja2', 'tmpl', n=1)
                    sys.stdout.writelines(list(diff)[:40])
                else:
                    print('  jinja2:', exp.get('class'), exp.get('message'))
                    print('  tmpl:  ', res.get('class'), res.get('message'),
                          res.get('where', ''))
    errors = sum(1 for e in expected if not e['ok'])
    print('%d renders compared (%d templates, %d expected errors), %d '
          'mismatches' % (len(jobs), len(templates), errors, failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
